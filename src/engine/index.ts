export {Engine, GraphError} from './engine.js';
export * from './types.js';
