#!/usr/bin/env python3
"""Quarry on Apache Spark: documents as an RDD, `quarry map` through rdd.pipe, the map outputs saved
for `quarry reduce`.

    spark-map.py QUARRY DOCS_DIR OUT_DIR [QUARRY_MAP_FLAGS...]

Each file of DOCS_DIR (sorted by name, which is the order `quarry run DOCS_DIR` walks them) becomes
one JSON Lines document {"id", "path", "seq"}; the workers read the files themselves (--allow-read
DOCS_DIR). OUT_DIR gets Spark's part-* files: give them all to `quarry reduce`, with the same plugin
flags. The master defaults to local[2]; set SPARK_MASTER to run on a cluster (the quarry binary, the
plugins and quarry.lock must then be at the same paths on every worker).
"""
import json
import os
import shlex
import sys

from pyspark.sql import SparkSession


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    quarry, docs, out = (os.path.abspath(a) for a in sys.argv[1:4])
    flags = sys.argv[4:]
    spark = (
        SparkSession.builder.master(os.environ.get("SPARK_MASTER", "local[2]"))
        .appName("quarry-map")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    names = sorted(n for n in os.listdir(docs) if os.path.isfile(os.path.join(docs, n)))
    documents = (
        spark.sparkContext.parallelize(names, 8)
        .zipWithIndex()
        .map(lambda pair: json.dumps({"id": pair[0], "path": os.path.join(docs, pair[0]), "seq": pair[1]}))
    )
    command = [quarry, "map", "--quiet", "--jobs", "1", "--allow-read", docs] + flags
    documents.pipe(" ".join(shlex.quote(part) for part in command)).saveAsTextFile(out)
    spark.stop()


if __name__ == "__main__":
    main()
