export * from './frameTimeline';
export * from './webm';
