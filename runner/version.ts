// play's version; a unit spec holds it equal to package.json's.
export const PLAY_VERSION = '0.1.0';
