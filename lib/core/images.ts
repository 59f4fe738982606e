// Container image references.
import { fail, show } from './errors';

/** The parts of a container image reference. */
export interface ImageRef {
  /** Repository, with registry if any (`docker.io/library/nginx` is `nginx`). */
  readonly repository: string;
  /** Tag, if any. */
  readonly tag?: string;
  /** Digest (`sha256:...`), if any. */
  readonly digest?: string;
}

/** Splits `registry/repo:tag@digest` into its parts. */
export function parseImage(image: string): ImageRef {
  const at = image.indexOf('@');
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const rest = at >= 0 ? image.slice(0, at) : image;
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  const hasTag = colon > slash;
  return {
    repository: hasTag ? rest.slice(0, colon) : rest,
    tag: hasTag ? rest.slice(colon + 1) : undefined,
    digest,
  };
}

// The image reference grammar of distribution/reference (what the kubelet and container runtimes parse):
// [domain[:port]/]path-component[/path-component]*[:tag][@digest]. Path components are lowercase.
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const IMAGE_DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9a-fA-F:.]+\\])(?::[0-9]+)?`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const IMAGE_REFERENCE = new RegExp(`^(?:${IMAGE_DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*(?::[\\w][\\w.-]{0,127})?(?:@[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[0-9a-fA-F]{32,})?$`);

/**
 * True when `image` is a valid image reference by the distribution/reference grammar: lowercase path
 * components (`sample-db`, not `sample-DB`), a tag of at most 128 word characters, '.' and '-', a digest
 * `<algorithm>:<at least 32 hex digits>`, and a name of at most 255 characters.
 * @see https://github.com/distribution/reference/blob/main/reference.go
 */
export function isImageReference(image: string): boolean {
  const name = image.split('@')[0].replace(/:[\w][\w.-]{0,127}$/, '');
  return IMAGE_REFERENCE.test(image) && name.length <= 255;
}

/** Checks that an image is a valid reference with a pinned tag or digest (not `latest`), unless mutable tags are allowed. */
export function validateImage(owner: string, prop: string, image: string, allowMutable: boolean): ImageRef {
  if (!image || /\s/.test(image)) fail(owner, `${prop} ${show(image)} is not an image reference`, 'use e.g. \'nginx:1.27.3\'');
  if (!isImageReference(image)) {
    const lower = image.split('@')[0].replace(/^((?:[^/]*[.:][^/]*|localhost)\/)?(.*?)(:[\w][\w.-]{0,127})?$/, (_m, d = '', p, t = '') => `${d}${p.toLowerCase()}${t}`);
    fail(owner, `${prop} ${show(image)} is not a valid image reference (the kubelet would fail with InvalidImageName)`,
      /[A-Z]/.test(image.split('@')[0].replace(/:[\w][\w.-]{0,127}$/, '').replace(/^[^/]*[.:][^/]*\//, ''))
        ? `repository paths are lowercase: use ${show(lower)}`
        : 'use [registry[:port]/]path[:tag][@sha256:<64 hex digits>], e.g. \'registry.example.com/team/app:1.2.3\'');
  }
  const ref = parseImage(image);
  if (allowMutable) return ref;
  if (!ref.digest && (!ref.tag || ref.tag === 'latest')) {
    fail(owner, `${prop} ${show(image)} ${ref.tag ? 'uses the mutable tag \'latest\'' : 'has no tag'}`,
      'pin a version tag or digest (e.g. \'nginx:1.27.3\' or \'nginx@sha256:...\'), or set allowMutableImageTag: true');
  }
  return ref;
}

/**
 * The `version` label value an image implies: the tag made label-safe, or the first 12 hex digits of
 * the digest, or `unversioned`.
 */
export function versionFromImage(tag: string | undefined, digest: string | undefined): string {
  if (digest) return digest.replace(/^[a-z0-9]+:/, '').slice(0, 12);
  if (!tag) return 'unversioned';
  const v = tag.replace(/[^A-Za-z0-9_.-]/g, '-').replace(/^[^A-Za-z0-9]+/, '').slice(0, 63).replace(/[^A-Za-z0-9]+$/, '');
  return v || 'unversioned';
}
