"""make bench-data: generate the benchmark data set into an installed database.

Usage: python scripts/bench/make_data.py --db DB --scale 1 [--seed 42] -- <odoo config args>
"""

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import data_generator
from common import init_odoo, superuser_env


def main(argv):
    split = argv.index("--") if "--" in argv else len(argv)
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", required=True)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv[:split])
    if args.scale <= 0:
        parser.error("--scale must be positive")
    odoo = init_odoo(args.db, argv[split + 1 :])
    started = time.monotonic()
    try:
        with superuser_env(odoo, args.db) as env:
            result = data_generator.generate(env, scale=args.scale, seed=args.seed)
    except data_generator.AlreadyGenerated as exc:
        print(f"make bench-data: {exc}", file=sys.stderr)
        return 2
    # ANALYZE after commit so the planner sees the new tables
    with superuser_env(odoo, args.db) as env:
        analyze = time.monotonic()
        env.cr.execute("ANALYZE")
        print(f"bench-data: ANALYZE in {time.monotonic() - analyze:.1f}s")
    print(
        f"make bench-data: {args.db} scale {args.scale:g} seed {args.seed}: {result['products']} products, "
        f"{result['dealers']} dealers, {result['orders']} orders, {result['lines']} order lines, "
        f"{result['quants']} stock quants in {time.monotonic() - started:.0f}s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
