// The kit's asc transform (hotwasm-kit/transform.mjs: it adds the api_version custom section).
// asconfig.json names this file rather than that one because asc resolves a transform path with a
// folder in it ("./hotwasm-kit/transform.mjs") as a package name and does not find it.
export { default } from './hotwasm-kit/transform.mjs';
