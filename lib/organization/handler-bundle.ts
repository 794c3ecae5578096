/** Where members find the bundle: `<prefix>/<asset hash>.zip`, as BucketDeployment copies an unextracted asset. */
export const HANDLER_KEY_PREFIX = 'nlb-janitor';
