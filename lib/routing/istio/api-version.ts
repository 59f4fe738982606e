/** The `networking.istio.io` API version of the rendered Gateway, DestinationRule and VirtualService. */
export enum IstioApiVersion {
  /** `networking.istio.io/v1`, served from Istio 1.22. */
  V1 = 'networking.istio.io/v1',
  /** `networking.istio.io/v1beta1`, for Istio < 1.22 (same schema). */
  V1BETA1 = 'networking.istio.io/v1beta1',
}

