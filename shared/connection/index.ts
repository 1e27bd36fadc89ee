/** Connection profiles: endpoint normalisation, per-field checks, and failures explained. Pure. */
export * from './endpoint';
export * from './profile';
export * from './failure';
