#!/usr/bin/env node
// The `localtrail` command: runs the bundle that `npm ci` (prepare) and `npm start` build.
import "../dist/main.js";
