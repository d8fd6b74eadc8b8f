/** Where the control-plane API lives on a weft server; the version is in the path. */
export const API_PREFIX = '/api/v1';
