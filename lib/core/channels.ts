/**
 * The annotation an object of ours carries when it needs the Gateway API experimental channel (an
 * experimental-only field, e.g. HTTPRoute `sessionPersistence`): `noops.io/gateway-api-channel:
 * experimental`. It says which CRDs the cluster must have, and the audit (`npm run check`) validates
 * such an object against the experimental-channel CRD instead of the standard one.
 */
export const GATEWAY_API_CHANNEL_ANNOTATION = 'noops.io/gateway-api-channel';
/** The value of {@link GATEWAY_API_CHANNEL_ANNOTATION} for the experimental channel. */
export const GATEWAY_API_EXPERIMENTAL = 'experimental';
