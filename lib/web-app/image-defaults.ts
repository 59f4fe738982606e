// The defaults a WebApp takes from its image's profile (lib/core/image-profiles.ts): the user it runs
// as and the directories mounted writable. Props win over the chart's WebAppDefaults, which win over the
// profile, which wins over the library's defaults; an image the table does not know keeps the latter.
import { ImageProfile, fail, imageProfile, show } from '../core';
import { DEFAULT_UID } from '../k8s';
import type { WebAppDefaultsProps } from './defaults';
import type { WebAppProps } from './types';

/** The user, group and writable paths of a WebApp, with the profile they came from (if any). */
export interface ImageDefaults {
  /** The image's profile, when the table knows the image. */
  readonly profile?: ImageProfile;
  /** `runAsUser`. */
  readonly uid: number;
  /** `runAsGroup`. */
  readonly gid: number;
  /** The directories mounted as emptyDirs. */
  readonly writablePaths: string[];
}

/**
 * The user, group and writable paths of the WebApp `owner`: its props, else the chart's defaults, else its
 * image's profile, else the library's (uid 10001, `/tmp`). The profile's user is not applied when the app
 * asks to run as the image's own user (`allowRunAsRoot`). Throws when the profile says the image needs
 * root or a writable root filesystem and the props do not relax both.
 */
export function imageDefaults(owner: string, props: WebAppProps, chart: WebAppDefaultsProps): ImageDefaults {
  const profile = imageProfile(props.image);
  if (profile?.needsRoot && !(props.allowRunAsRoot && props.readOnlyRootFilesystem === false)) {
    fail(owner, `image ${show(props.image)} cannot run as non-root with a read-only root filesystem (${profile.needsRoot})`,
      `use an image built to run as non-root${profile.nonRootAlternative ? ` such as ${profile.nonRootAlternative}` : ''}, `
      + 'or set allowRunAsRoot: true and readOnlyRootFilesystem: false (documented relaxations, which Pod Security "restricted" refuses)', 'image');
  }
  const userGiven = props.runAsUser !== undefined || chart.runAsUser !== undefined;
  const fromProfile = !userGiven && !props.allowRunAsRoot ? profile : undefined;
  const uid = props.runAsUser ?? chart.runAsUser ?? fromProfile?.runAsUser ?? DEFAULT_UID;
  const gid = props.runAsGroup ?? chart.runAsGroup ?? (fromProfile?.runAsUser !== undefined ? fromProfile.runAsGroup : undefined) ?? uid;
  const writablePaths = props.writablePaths ?? [...(profile?.writablePaths ?? ['/tmp'])];
  return { profile, uid, gid, writablePaths };
}
