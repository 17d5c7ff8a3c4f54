#!/usr/bin/env node
/** bgtask-review: the per-PR checklist report (flags parsed here; the work is in src/review). */
process.stderr.write('bgtask-review: not implemented yet\n');
process.exitCode = 2;
