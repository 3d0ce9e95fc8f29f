// Name and version of the tool, from the manifest (bundled at build time).
import manifest from '../../../package.json';

export const PRODUCT_NAME = 'sip-tls';
export const PRODUCT_VERSION: string = manifest.version;

const homepage: unknown = (manifest as { homepage?: unknown }).homepage;

/** Where to read about the tool: the manifest's homepage, else its npm package page. */
export const PRODUCT_INFORMATION_URI: string =
  typeof homepage === 'string' && homepage !== '' ? homepage : `https://www.npmjs.com/package/${manifest.name}`;
