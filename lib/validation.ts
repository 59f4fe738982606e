/**
 * Validators shared by every construct. They live in lib/core, split by concept (errors, names, labels,
 * network, quantities, images); this module re-exports the ones it has always exported, so that
 * `import { ... } from './validation'` keeps working.
 */
export { fail, show } from './core/errors';
export { type ImageRef, isImageReference, parseImage, validateImage } from './core/images';
export { isLabelValue, isQualifiedName, validateAnnotations, validateLabels } from './core/labels';
export {
  C_IDENTIFIER, DNS1035_LABEL, DNS1123_LABEL, DNS1123_SUBDOMAIN, ENV_VAR_NAME, isConfigMapKey, isDns1035Label, isDns1123Label,
  isDns1123Subdomain, isDnsName, toDnsLabel, validateConfigMapKey, validateDns1035, validateDns1123Subdomain, validateEnvName,
} from './core/names';
export {
  IANA_SVC_NAME, isCidr, isIpAddress, isStrictSubnet, parseIpv4, parseIpv6, validateCidr, validatePort, validatePortName,
} from './core/network';
export { parseQuantity, validateInt, validateQuantity, wholeSeconds } from './core/quantities';
