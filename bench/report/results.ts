/** Figures as scenarios produce them, with the Parley/baseline ratios derived from them. */
import { BASELINES, FIGURE_IDS, FIGURES, type FigureDef, type FigureId, type Series } from './catalogue';

export interface FigureResult extends FigureDef {
  values: Partial<Record<Series, number>>;
  /** parley ÷ baseline, per baseline that has a value. */
  ratios: Partial<Record<Series, number>>;
}

export class Results {
  private readonly values = new Map<FigureId, Partial<Record<Series, number>>>();

  set(id: FigureId, series: Series, value: number): void {
    let row = this.values.get(id);
    if (!row) {
      row = {};
      this.values.set(id, row);
    }
    row[series] = value;
  }

  setAll(series: Series, figures: Partial<Record<FigureId, number>>): void {
    for (const [id, value] of Object.entries(figures) as [FigureId, number][]) this.set(id, series, value);
  }

  /** Every figure that has at least one value, in catalogue order. */
  figures(): Record<string, FigureResult> {
    const out: Record<string, FigureResult> = {};
    for (const id of FIGURE_IDS) {
      const values = this.values.get(id);
      if (!values) continue;
      const ratios: Partial<Record<Series, number>> = {};
      const parley = values.parley;
      if (parley !== undefined) {
        for (const b of BASELINES) {
          const base = values[b];
          if (base !== undefined && Number.isFinite(base) && base !== 0 && Number.isFinite(parley)) ratios[b] = parley / base;
        }
      }
      out[id] = { ...FIGURES[id], values, ratios };
    }
    return out;
  }
}
