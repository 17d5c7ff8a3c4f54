#!/usr/bin/env node
// Benchmarks live here (see issue "Proof on real code"); until they land this says so.
console.log('no benchmarks yet');
