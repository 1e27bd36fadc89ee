export * from './decodePolicy';
export * from './inputSpec';
export * from './preprocessSettings';
