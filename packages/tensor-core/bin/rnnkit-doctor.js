#!/usr/bin/env node
// A committed shim, so the bin exists (and is executable) before the package is built.
import { main } from '../dist/bin/rnnkit-doctor.js';

process.exitCode = await main(process.argv.slice(2));
