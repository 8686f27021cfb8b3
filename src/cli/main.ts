#!/usr/bin/env node
import { ConfigError, loadConfig, type Config } from "../config.js";
import { createOutboundFetch } from "../http/outbound.js";
import { buildProviders } from "../providers/index.js";
import { runEmulate } from "../emulator/cli.js";
import { serve } from "../serve.js";
import { dashboardValues, formatDashboard, type DashboardValues } from "./dashboard.js";
import { doctorFailed, formatChecks, runDoctor } from "./doctor.js";
import { reviewPacket } from "./review.js";

const USAGE = `Usage: link-preview <command> [--json]

Commands:
  serve    run the server (same as npm start)
  config   print the exact values to type into Notion's integration dashboard
  review   print a Markdown review packet for Notion's Link Preview review
  doctor [URL]
           check a running server from outside, as Notion would (default: PUBLIC_URL)
  emulate [--port 4000] [--server URL]
           a local Notion stand-in and Link Preview Lab driving a running server (emulate --help)
  help     show this text`;

async function main(argv: string[]): Promise<number> {
  const [command = "help", ...rest] = argv;
  switch (command) {
    case "serve":
      await serve();
      return -1;
    case "config": {
      const { config } = loadConfig();
      const values = await dashboardFor(config);
      console.log(rest.includes("--json") ? JSON.stringify(values, null, 2) : formatDashboard(values));
      return 0;
    }
    case "review": {
      const { config } = loadConfig();
      console.log(reviewPacket(config, await dashboardFor(config)));
      return 0;
    }
    case "doctor": {
      const { config } = loadConfig();
      const outbound = createOutboundFetch();
      try {
        const checks = await runDoctor(rest.find((a) => !a.startsWith("--")) ?? config.publicUrl, config, outbound.fetch);
        console.log(formatChecks(checks));
        return doctorFailed(checks) ? 1 : 0;
      } finally {
        await outbound.close();
      }
    }
    case "emulate":
      return runEmulate(rest, { out: (text) => console.log(text), err: (text) => console.error(text) });
    case "help":
    case "--help":
    case "-h":
      console.log(USAGE);
      return 0;
    default:
      console.error(`Unknown command: ${command}\n\n${USAGE}`);
      return 2;
  }
}

async function dashboardFor(config: Config): Promise<DashboardValues> {
  const outbound = createOutboundFetch();
  try {
    return dashboardValues(config, buildProviders(config, outbound.fetch));
  } finally {
    await outbound.close();
  }
}

try {
  const code = await main(process.argv.slice(2));
  if (code >= 0) process.exitCode = code;
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exitCode = 1;
}
