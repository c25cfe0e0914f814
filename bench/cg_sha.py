#!/usr/bin/env python3
"""Instructions a callgrind profile spent in SHA-256 (bench/run's callgrind step).

    cg_sha.py CALLGRIND_OUT

prints the inclusive cost of the SHA-256 block functions: every `sha2::sha256::compress256`
(the entry both sha2 0.10 and 0.11 dispatch through; under valgrind it always takes the
portable path, valgrind having no SHA extensions), or, where the compiler inlined that, the
portable `sha2::sha256::soft::compress` it calls. Inclusive cost of the outermost SHA-256
function only, so nothing is counted twice. bench/run subtracts it from the total of the run
to get the instructions "with SHA-256 excluded".
"""

import re
import subprocess
import sys

out = subprocess.run(
    ["callgrind_annotate", "--inclusive=yes", "--threshold=100", "--auto=no", sys.argv[1]],
    capture_output=True, text=True, check=True,
).stdout

costs = {}
for line in out.splitlines():
    m = re.match(r"\s*([\d,]+)\s+\([^)]*\)\s+(\S.*)$", line)
    if not m:
        continue
    cost, name = int(m.group(1).replace(",", "")), m.group(2)
    costs[name] = costs.get(name, 0) + cost


def total(pattern):
    return sum(c for n, c in costs.items() if re.search(pattern, n))


outer = total(r"sha2::sha256::compress256\b")
print(outer if outer else total(r"sha2::sha256::soft::compress\b"))
