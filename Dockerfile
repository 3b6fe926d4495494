# syntax=docker/dockerfile:1
# Parley relay image: the standalone relay with the built web client, production dependencies only.
#   docker build -t parley-relay .
#   docker run --rm -p 3000:3000 -e REDIS_URL=… -e ALLOWED_HOSTS=chat.example.com parley-relay
# Settings are the relay's environment variables (node dist/server/cli.js --help). See
# deploy/azure/README.md for Azure Container Apps.

ARG NODE_VERSION=20

# ---- build: full install (dev dependencies: Vite, esbuild, TypeScript), then npm run build ----
FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
# Electron is a dev dependency of the desktop app; the image never needs its binary.
ENV ELECTRON_SKIP_BINARY_DOWNLOAD=1
COPY package.json package-lock.json ./
COPY scripts ./scripts
RUN npm ci --no-audit --no-fund
COPY tsconfig.base.json tsconfig.json vite.config.ts ./
COPY protocol ./protocol
COPY server ./server
COPY renderer ./renderer
RUN npm run build

# ---- runtime: production dependencies and the build output, run as the unprivileged node user ----
FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: the relay's dependencies are plain JavaScript but for classic-level (the history
# database), whose binary ships prebuilt in its package, and sharp (images), whose binary and libvips
# come prebuilt in the @img package npm picks for this image's platform (linux-x64 or arm64, glibc);
# the project's postinstall only concerns Electron (a dev dependency, absent here). /data holds the
# history (DATA_DIR), writable by `node`.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force \
 && mkdir -p /data && chown node:node /data
COPY --from=build /app/dist/server ./dist/server
COPY --from=build /app/dist/renderer ./dist/renderer
USER node
# History survives a new container only on a volume (Redis mode ignores it).
VOLUME /data
EXPOSE 3000
# Slim images have no curl: probe with node. 200 = ok or degraded; 503 = misconfigured or stopping.
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "require('http').get({host:'127.0.0.1',port:process.env.PORT||3000,path:'/healthz',timeout:4000},r=>process.exit(r.statusCode===200?0:1)).on('timeout',function(){this.destroy()}).on('error',()=>process.exit(1))"]
# The relay shuts down gracefully on SIGTERM (clients get server:shutdown and reconnect elsewhere).
STOPSIGNAL SIGTERM
CMD ["node", "dist/server/cli.js"]
