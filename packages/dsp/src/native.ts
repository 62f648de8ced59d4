// The native addon, loaded once. Importing this module throws an Error with code E_NATIVE_LOAD and build
// instructions when the addon is missing or broken.
import * as addon from '@melguard/native';

export const native = addon;
