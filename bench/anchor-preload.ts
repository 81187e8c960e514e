/**
 * Loaded with `node --require` (NODE_OPTIONS) into every process of a runner command the soak runs with the
 * anchor model (bench/soak.ts `policy: "anchor"`): the runner's worker, the program and, above all, the
 * dynamic-provider host, whose clients make the API calls. It installs bench/anchor.ts's model through the
 * client's benchmark seam, with the options in `CONFLUENT_IAM_BENCH_ANCHOR` (JSON). Each process that builds
 * a client with it appends its pid and script to `markFile`, so the soak can check that the model was in force.
 * Nothing shipped loads this file.
 */
import * as fs from "fs";
import { z } from "zod";
import { setClientStrategyForBenchmark } from "../provider/client/client";
import { ANCHOR_ENV, AnchorPolicy } from "./anchor";

const raw = process.env[ANCHOR_ENV];
if (raw !== undefined && raw !== "") {
  const options = z
    .object({ sleepScale: z.number().min(0).optional(), markFile: z.string().optional() })
    .parse(JSON.parse(raw));
  let marked = false;
  setClientStrategyForBenchmark(() => {
    if (!marked && options.markFile !== undefined) {
      fs.appendFileSync(options.markFile, `${process.pid} ${process.argv[1] ?? ""}\n`);
      marked = true;
    }
    return new AnchorPolicy({ sleepScale: options.sleepScale });
  });
}
