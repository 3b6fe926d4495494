; Parley's additions to electron-builder's NSIS installer (nsis.include). Per-user install
; (perMachine: false), so everything goes to HKCU and needs no elevation.
;
; parley:// links: the app also registers itself at every packaged start
; (app.setAsDefaultProtocolClient in main/shell/index.ts, same key and command), so this only makes
; links work before the first start, and removes the registration on uninstall, where Electron
; would leave it pointing at a deleted executable. Updates (which run the old uninstaller) keep it.

!macro customInstall
  WriteRegStr HKCU "Software\Classes\parley" "" "URL:Parley link"
  WriteRegStr HKCU "Software\Classes\parley" "URL Protocol" ""
  WriteRegStr HKCU "Software\Classes\parley\DefaultIcon" "" "$INSTDIR\${APP_EXECUTABLE_FILENAME},0"
  WriteRegStr HKCU "Software\Classes\parley\shell\open\command" "" '"$INSTDIR\${APP_EXECUTABLE_FILENAME}" "%1"'
!macroend

!macro customUnInstall
  ${IfNot} ${isUpdated}
    Push $0
    ; Only remove the handler while it is still ours (another install may have taken it over).
    ReadRegStr $0 HKCU "Software\Classes\parley\shell\open\command" ""
    ${If} $0 == '"$INSTDIR\${APP_EXECUTABLE_FILENAME}" "%1"'
      DeleteRegKey HKCU "Software\Classes\parley"
    ${EndIf}
    Pop $0
  ${EndIf}
!macroend
