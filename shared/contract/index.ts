/** The one renderer <-> services contract. See ./api for the method list. */
export * from './api';
export * from './schemas';
export * from './errors';
export * from './framing';
export * from './frameParts';
export * from './validate';
export * from './client';
