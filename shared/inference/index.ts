export * from './decodePolicy';
export * from './inputSpec';
export * from './preprocessSettings';
export * from './compare';
export * from './resize';
export * from './nonFinite';
