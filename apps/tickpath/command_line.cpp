#include "apps/tickpath/command_line.hpp"

namespace tickpath::app {

void add_commands(CLI::App& app, CommandLine& c) {
  c.run_cmd = app.add_subcommand("run", "run the appliance (default: 10 s on DPDK's null PMD)");
  c.run_cmd->add_option("--config", c.run.config_path, "TOML config file (default: built-in laptop mode)")
      ->check(CLI::ExistingFile);
  auto* duration = c.run_cmd->add_option("--duration", c.run.duration_s, "seconds to run");
  c.run_cmd->add_option("--events", c.run.events, "stop after this many events")->excludes(duration);
  c.run_cmd->add_option("--rate", c.run.rate_pps, "pace ingest to this many frames per second");
  c.run_cmd->add_option("--report-dir", c.run.report_dir, "parent folder of the run folder");
  c.run_cmd->add_option("--set", c.run.overrides, "override a config key: --set ring.capacity=4096")
      ->take_all();
  c.run_cmd->add_option("--run-folder", c.run.run_folder, "write the run folder exactly here (must not exist)");
  c.run_cmd->add_option("--repeat", c.repeat, "run N times, each a child process: <folder>/run-1..N + aggregate.json")
      ->excludes("--run-folder");
  c.run_cmd->footer("Arguments after `--` are passed to the DPDK EAL.");

  c.topo_cmd = app.add_subcommand("topology", "print the machine and the core plan; run nothing");
  c.topo_cmd->add_option("--config", c.topo.config_path, "TOML config file")->check(CLI::ExistingFile);
  c.topo_cmd->add_option("--set", c.topo.overrides, "override a config key")->take_all();
  c.topo_cmd->add_option("--systemd", c.topo.systemd_dropin,
                       "write the CPUAffinity= drop-in (housekeeping cpus) to FILE (- for stdout)");
  c.topo_cmd->add_option("--tuned", c.topo.tuned_dir,
                       "write the tuned profile tickpath-cpu-partitioning to DIR/tuned.conf (- for stdout)");

  // audit: host preflight. Its exit code 2 means "a check FAILed", so its usage errors exit 64
  // (main.cpp).
  c.audit_cmd = app.add_subcommand("audit", "check this host's kernel and firmware tuning for the core plan");
  c.audit_cmd->add_option("--config", c.audit.config_path, "TOML config file")->check(CLI::ExistingFile);
  c.audit_cmd->add_option("--set", c.audit.overrides, "override a config key")->take_all();
  c.audit_cmd->add_flag("--json", c.audit.json, "print the rows as JSON (schema tickpath.audit/1)");
  c.audit_cmd->add_option("--root", c.audit.root, "read /proc and /sys under this directory (default /)");

  // --- the machine's floor: jitter, c2c -----------------------------------------------------
  c.jitter_cmd = app.add_subcommand("jitter", "OS jitter per cpu: spin on the TSC, count hiccups (like hiccups/oslat)");
  c.jitter_cmd->add_option("--cores", c.jit.cores, "cpu list, e.g. 1-3,8 (default: every cpu this process may use)");
  c.jitter_cmd->add_option("--duration", c.jit.duration_s, "seconds per cpu (all cpus at once)")->capture_default_str();
  c.jitter_cmd->add_option("--threshold-ns", c.jit.threshold_ns, "a gap at least this long is a hiccup")->capture_default_str();
  c.jitter_cmd->add_flag("--json", c.jit.json, "print JSON instead of the table");
  c.jitter_cmd->add_option("--report-dir", c.jit.report_dir, "parent folder of the run folder (jitter.json)")->capture_default_str();

  c.c2c_cmd = app.add_subcommand("c2c", "core-to-core latency: one cache line ping-ponged between every pair of cpus");
  c.c2c_cmd->add_option("--cores", c.c2c.cores, "cpu list (default: every cpu this process may use)");
  c.c2c_cmd->add_option("--samples", c.c2c.samples, "round trips per pair")->capture_default_str();
  c.c2c_cmd->add_flag("--json", c.c2c.json, "print JSON instead of the matrices");

  // --- experiments: sweep ---------------------------------------------------------------------
  c.sweep_cmd = app.add_subcommand("sweep", "run every combination of --vary values, each --repeat times; one table");
  c.sweep_cmd->add_option("--config", c.sweep.config_path, "TOML config file (default: built-in laptop mode)")
      ->check(CLI::ExistingFile);
  c.sweep_cmd->add_option("--vary", c.sweep.vary, "key=v1,v2,... (repeatable; values \"quoted\" to keep commas)")
      ->required();
  c.sweep_cmd->add_option("--repeat", c.sweep.repeat, "runs per combination")->capture_default_str();
  c.sweep_cmd->add_option("--set", c.sweep.overrides, "override a config key for every run")->take_all();
  c.sweep_cmd->add_option("--report-dir", c.sweep.report_dir, "parent folder of the sweep folder");
  auto* sweep_duration = c.sweep_cmd->add_option("--duration", c.sweep.duration_s, "seconds per run");
  c.sweep_cmd->add_option("--events", c.sweep.events, "events per run")->excludes(sweep_duration);
  c.sweep_cmd->add_option("--rate", c.sweep.rate_pps, "pace ingest to this many frames per second");
  c.sweep_cmd->footer("Arguments after `--` are passed to every run's DPDK EAL.");
  // --------------------------------------------------------------------------------------------
  // Reports: re-render a run folder's page; put two runs (or two sets of repeated runs) side by side.
  c.report_cmd = app.add_subcommand("report", "re-render DIR/report.html from the run folder's data files");
  c.report_cmd->add_option("dir", c.report_opts.dir, "run folder (summary.json, latency.hlog, timeline.csv)")->required();
  c.report_cmd->add_option("--out", c.report_opts.out, "write the page here instead of DIR/report.html");
  c.compare_cmd = app.add_subcommand("compare", "compare two run folders (or folders of repeated runs)");
  c.compare_cmd->add_option("dir_a", c.compare_opts.a, "baseline: run folder or folder with run-1 … run-N")->required();
  c.compare_cmd->add_option("dir_b", c.compare_opts.b, "candidate: run folder or folder with run-1 … run-N")->required();
  c.compare_cmd->add_option("--html", c.compare_opts.html, "also write the comparison as a self-contained HTML page");
  c.compare_cmd->add_option("--tolerance", c.compare_opts.tolerance,
                          "relative change counted as \"same\" when a side has a single run (default 0.05)")
      ->check(CLI::Range(0.0, 10.0));
  // `tickpath selftest`: the measurement chain against a known truth (docs/measurement.md).
  c.selftest_cmd = app.add_subcommand("selftest", "run the pipeline on a truth source with known delays and a stall; "
                                                          "compare every figure with the truth (exit 0: all within 1% + one bucket)");
  c.selftest_cmd->add_option("--rate", c.selftest.rate, "frames per second")->capture_default_str()->check(CLI::PositiveNumber);
  c.selftest_cmd->add_option("--duration", c.selftest.duration_s, "seconds of paced load after warmup")->capture_default_str()->check(CLI::PositiveNumber);
  c.selftest_cmd->add_option("--stall-ms", c.selftest.stall_ms, "one stall of the ingest loop (0: none)")->capture_default_str()->check(CLI::NonNegativeNumber);
  // `tickpath acks`: read an ack log (report.ack_log = true) back.
  c.acks_cmd = app.add_subcommand("acks", "read an ack log (c.acks.bin) back: a summary, or every record as CSV");
  c.acks_cmd->add_option("FILE", c.acks.file, "an c.acks.bin from a run folder")->required();
  c.acks_cmd->add_flag("--csv", c.acks.csv, "one CSV row per record instead of the summary");
  c.acks_cmd->add_flag("--salvage", c.acks.salvage,
                     "read an unfinished, truncated or damaged log (a killed run's): every intact record, the damaged ones counted");
  // gen: the transmitter (docs/wire.md).
  c.gen_cmd = add_gen_command(app, c.gen);
}

}  // namespace tickpath::app
