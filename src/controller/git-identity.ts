/**
 * Who the controller's commits (reverts, follow bumps) are by, as git `-c` options: not a
 * person, and not an address anyone owns.
 */
export const CONTROLLER_GIT_IDENTITY = [
  '-c',
  'user.name=weft controller',
  '-c',
  'user.email=controller@weft.invalid',
] as const;
