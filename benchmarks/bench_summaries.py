"""Seconds per entry summary with the default model, before and after the speed work, in one run.

Default run: the first ``--entries`` selected entries of the seeds timeline (every stage of
``build_timeline`` without summaries, then the summarizer alone), summarized twice from empty
caches in the model's default dtype, batch ``--batch-size``:

- baseline: every row of a batch decodes until its end of text or the token budget (``max_new_tokens``);
- early stop: a row stops once its first sentence is settled (``summaries.first_sentence_settled``);
  what ``clean_output`` keeps is the same, so the summaries must be identical (checked, printed).

Then a cached rerun of the early-stop run with a lazy ``Summarizer("default")``: it must load no model
and give the same summaries and the same cache bytes. Per configuration: seconds per entry (guard and
retries included), generations, and the guard's counts (accepted / retried / fallback).

    TIMELINE_THREADS=2 HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/bench_summaries.py --entries 8

``--history`` repeats the earlier comparison instead: float32, one entry per generate call, the
long verbose prompt (``entry_verbose``) against bfloat16, the short prompt, batches, on synthetic
entries built from real seed sentences.

    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/bench_summaries.py --history    # ratio only
    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/bench_summaries.py --full       # + a seeds-sized run
    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/bench_summaries.py --seeds      # + the real seeds timeline
    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/bench_summaries.py --dtypes     # + bf16 vs fp32 decode
    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/bench_summaries.py --prompts --skip-baseline --entries 8
        # the grounded prompt (entry v2: sources + parse facts, meaning guard) against the plain one
        # (entry_plain = entry v1), same entries, same run; --dump FILE writes the summaries with sources

Targets: <= 10 s per entry; a seeds-sized run (60 entries, 10 month paragraphs, 1 overview) and the
real seeds timeline (``--seeds``: every stage of ``build_timeline``, summaries from an empty cache)
under 5 minutes; a cached rerun under 10 s. The CPU may be shared: the ratio measured in the same run is
what counts.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from timeline import models  # noqa: E402
from timeline.records import SourceRef, TimelineEntry  # noqa: E402
from timeline.summaries import ChatGenerator, Summarizer, default_threads, split_sentences  # noqa: E402


def seed_sentences() -> list[tuple[str, str]]:
    """(article id, sentence) for the plain running-text sentences of the seed articles."""
    found = []
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        for paragraph in path.read_text(encoding="utf-8").split("\n"):
            for sentence in split_sentences(paragraph.strip()):
                if 60 <= len(sentence) <= 300 and sentence.rstrip().endswith((".", '"', "”")):
                    found.append((path.stem, sentence.strip()))
    return found


def synthetic_entries(n: int) -> list[TimelineEntry]:
    """``n`` entries of one to three consecutive seed sentences, dated a week apart."""
    sentences = seed_sentences()
    entries, k = [], 0
    start = date(2014, 10, 1)
    for i in range(n):
        width = 1 + (i % 3)
        chosen = [sentences[(k + j) % len(sentences)] for j in range(width)]
        k += width
        day = start + timedelta(days=11 * i)
        refs = tuple(SourceRef(article=a, sentence=s, start=0, end=len(s), timex=None, rule="bench")
                     for a, s in chosen)
        entries.append(TimelineEntry(date=day.isoformat(), start=day, end=day, granularity="day",
                                     places=(), sources=refs, in_campaign=True))
    return entries


def seeds_entries(n: int) -> list[TimelineEntry]:
    """The first ``n`` selected entries of the seeds timeline, not yet summarized."""
    from timeline.pipeline import build_timeline

    return list(build_timeline(ROOT / "seeds", model=None).entries[:n])


def early_stop_comparison(model, tokenizer, model_id: str, n: int, batch: int, work: Path) -> int:
    """Baseline (decode to the end of text or the budget) against early stop, same entries, same run."""
    entries = seeds_entries(n)
    print(f"{len(entries)} seeds entries, batch {batch}, {model_id}, load average {os.getloadavg()[0]:.1f}")
    ChatGenerator.wrap(model, tokenizer, model_id)([[{"role": "user", "content": "Hi."}]], 2)  # warm-up
    runs = {}
    for name, stops in (("baseline", False), ("early-stop", True)):
        generator = ChatGenerator.wrap(model, tokenizer, model_id)
        generator.stops_early = stops
        summarizer = Summarizer("default", cache_path=work / f"{name}.json", progress=False, batch_size=batch,
                                generator=generator, model_id=model_id)
        out, seconds = timed(lambda: summarizer.summarize_entries(entries))
        report = summarizer.report()
        runs[name] = (out, seconds / len(entries))
        guard = {k: report.get(f"entry_{k}", 0) for k in ("accepted", "guarded", "extractive")}
        print(f"{name:10s}: {seconds / len(entries):.2f} s/entry ({len(entries)} entries in {seconds:.1f} s; "
              f"{report.get('generations', 0)} generations in {generator.decode_steps} decode steps; first try accepted {guard['accepted']}, "
              f"accepted on retry {guard['guarded']}, fallback {guard['extractive']}; "
              f"load average {os.getloadavg()[0]:.1f})", flush=True)
    (base, base_s), (new, new_s) = runs["baseline"], runs["early-stop"]
    same = [e.summary for e in base] == [e.summary for e in new]
    print(f"early-stop / baseline: {new_s / base_s:.2f}x ({base_s:.2f} -> {new_s:.2f} s/entry; target <= 10); "
          f"same summaries: {same}")
    cache = work / "early-stop.json"
    before = cache.read_bytes()
    rerun = Summarizer("default", cache_path=cache, progress=False)  # lazy: must not load weights
    again, cached_s = timed(lambda: rerun.summarize_entries(entries))
    print(f"cached rerun: {cached_s:.2f} s, model loaded: {rerun.model_loaded}, same summaries: "
          f"{again == new}, cache byte-identical: {cache.read_bytes() == before}   {rerun.report()}")
    for e in new:
        print(f"  [{e.extra['summary_rule']}] {e.summary}")
    return 0 if same and not rerun.model_loaded and again == new and cache.read_bytes() == before else 1


def timed(fn):
    started = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline-entries", type=int, default=4, help="with --history")
    parser.add_argument("--entries", type=int, default=8, help="seeds entries (default run); improved setting (--history)")
    parser.add_argument("--history", action="store_true", help="the earlier fp32/verbose/unbatched comparison")
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--full", action="store_true", help="also time a seeds-sized run and its cached rerun")
    parser.add_argument("--full-entries", type=int, default=60)
    parser.add_argument("--seeds", action="store_true",
                        help="also time build_timeline on seeds/ with an empty summary cache, then cached")
    parser.add_argument("--dtypes", action="store_true", help="also time raw decoding, bf16 vs float32")
    parser.add_argument("--thread-counts", default="", help="e.g. 1,2: also time bf16 batch-8 decoding per thread count")
    parser.add_argument("--convert", action="store_true", help="time a cold conversion (deletes the dense cache)")
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument("--prompts", action="store_true",
                        help="time the plain prompt (entry_plain) against the grounded one (entry), same entries")
    parser.add_argument("--dump", type=Path, default=None, help="with --prompts: write the summaries as JSON lines")
    args = parser.parse_args(argv)

    import torch

    threads = args.threads or default_threads()
    torch.set_num_threads(threads)
    print(f"threads: {threads} (baseline and improved alike), cores: {os.cpu_count()}, "
          f"load average: {os.getloadavg()[0]:.1f}")
    if args.convert:
        import shutil

        shutil.rmtree(models.dense_cache_dir("default"), ignore_errors=True)
        _, seconds = timed(lambda: models.prepare_dense("default"))
        print(f"cold conversion (join 22 parts + GGUF load + bf16 dense save): {seconds:.1f} s")
    (model, tokenizer, model_id), load_s = timed(lambda: models.load_causal_lm("default"))
    print(f"load from dense cache: {load_s:.1f} s  ({model_id})")

    work = Path(tempfile.mkdtemp(prefix="bench-summaries-"))
    if not (args.history or args.prompts or args.dtypes or args.thread_counts or args.full or args.seeds):
        return early_stop_comparison(model, tokenizer, model_id, args.entries, args.batch_size, work)
    entries = synthetic_entries(max(args.entries, args.baseline_entries))

    def run(name: str, dtype, template: str, batch: int, subset) -> float:
        model.to(dtype)
        summarizer = Summarizer("default", cache_path=work / f"{name}.json", progress=False,
                                generator=ChatGenerator.wrap(model, tokenizer, f"{model_id}:{name}"),
                                model_id=f"{model_id}:{name}", batch_size=batch, entry_template=template)
        out, seconds = timed(lambda: summarizer.summarize_entries(subset))
        per = seconds / len(subset)
        print(f"{name:9s} {str(dtype):15s} template={template:14s} batch={batch}: "
              f"{len(subset)} entries in {seconds:.1f} s = {per:.2f} s/entry   {summarizer.report()}")
        return per

    if args.prompts:
        import json

        outputs = {}

        def run_kept(name, template):
            model.to(torch.bfloat16)
            summarizer = Summarizer("default", cache_path=work / f"{name}.json", progress=False,
                                    generator=ChatGenerator.wrap(model, tokenizer, f"{model_id}:{name}"),
                                    model_id=f"{model_id}:{name}", batch_size=args.batch_size, entry_template=template)
            out, seconds = timed(lambda: summarizer.summarize_entries(entries[: args.entries]))
            outputs[name] = out
            print(f"{name:9s} template={template:12s}: {args.entries} entries in {seconds:.1f} s = "
                  f"{seconds / args.entries:.2f} s/entry (guard and retries included)   {summarizer.report()}")
            return seconds / args.entries

        plain = run_kept("plain", "entry_plain")
        grounded = run_kept("grounded", "entry")
        print(f"grounded / plain: {grounded / plain:.2f}x  ({plain:.2f} -> {grounded:.2f} s/entry; target <= 10 s/entry; "
              f"load average now {os.getloadavg()[0]:.1f})")
        if args.dump:
            with open(args.dump, "w", encoding="utf-8") as fh:
                for name, out in outputs.items():
                    for e in out:
                        fh.write(json.dumps({"prompt": name, "sources": [r.sentence for r in e.sources],
                                             "summary": e.summary, "rule": e.extra.get("summary_rule"),
                                             "checks": e.extra.get("summary_checks")}, ensure_ascii=False) + "\n")
    if not args.skip_baseline:
        base = run("baseline", torch.float32, "entry_verbose", 1, entries[: args.baseline_entries])
    best = run("improved", torch.bfloat16, "entry", args.batch_size, entries[: args.entries]) if not args.prompts else None
    if not args.skip_baseline and best is not None:
        print(f"speed-up: {base / best:.1f}x  (baseline {base:.2f} s/entry -> improved {best:.2f} s/entry; "
              f"target <= 10 s/entry)")

    if args.dtypes:
        chat = [{"role": "user", "content": "Write one sentence about " + entries[0].sources[0].sentence}]
        ids = tokenizer.apply_chat_template(chat, add_generation_prompt=True, return_tensors="pt", return_dict=True)
        for dtype in (torch.float32, torch.bfloat16):
            model.to(dtype)
            for batch in (1, 8):
                batch_ids = {k: v.repeat(batch, 1) for k, v in ids.items()}
                with torch.inference_mode():
                    model.generate(**batch_ids, max_new_tokens=2, do_sample=False)  # warm-up
                    _, seconds = timed(lambda: model.generate(**batch_ids, max_new_tokens=17, min_new_tokens=17,
                                                              do_sample=False))
                    _, prefill = timed(lambda: model.generate(**batch_ids, max_new_tokens=1, do_sample=False))
                step = (seconds - prefill) / 16
                print(f"decode {str(dtype):15s} batch={batch}: {step:.3f} s/step = {batch / step:.1f} tokens/s; "
                      f"prefill {ids['input_ids'].shape[1] * batch} tokens in {prefill:.2f} s")
        model.to(torch.bfloat16)

    if args.thread_counts:
        chat = [{"role": "user", "content": "Write one sentence about " + entries[0].sources[0].sentence}]
        ids = tokenizer.apply_chat_template(chat, add_generation_prompt=True, return_tensors="pt", return_dict=True)
        batch_ids = {k: v.repeat(8, 1) for k, v in ids.items()}
        model.to(torch.bfloat16)
        for count in [int(c) for c in args.thread_counts.split(",")]:
            torch.set_num_threads(count)
            with torch.inference_mode():
                model.generate(**batch_ids, max_new_tokens=2, do_sample=False)
                _, seconds = timed(lambda: model.generate(**batch_ids, max_new_tokens=11, min_new_tokens=11,
                                                          do_sample=False))
                _, prefill = timed(lambda: model.generate(**batch_ids, max_new_tokens=1, do_sample=False))
            print(f"threads={count}: bf16 batch=8 decode {(seconds - prefill) / 10:.3f} s/step, "
                  f"prefill {batch_ids['input_ids'].numel()} tokens in {prefill:.2f} s")
        torch.set_num_threads(threads)

    if args.full:
        model.to(torch.bfloat16)
        full = synthetic_entries(args.full_entries)
        cache = work / "full.json"

        def pipeline_like(summarizer: Summarizer):
            summarized = summarizer.summarize_entries(full)
            months: dict[str, list[TimelineEntry]] = {}
            for entry in summarized:
                months.setdefault(entry.date[:7], []).append(entry)
            periods = summarizer.summarize_periods(dict(list(months.items())[:10]))
            overview = summarizer.summarize_overview(summarized)
            return summarized, periods, overview

        summarizer = Summarizer("default", cache_path=cache, progress=False, batch_size=args.batch_size,
                                generator=ChatGenerator.wrap(model, tokenizer, model_id), model_id=model_id)
        (summarized, periods, overview), seconds = timed(lambda: pipeline_like(summarizer))
        print(f"full run: {len(full)} entries + {len(periods)} month paragraphs + overview in {seconds:.1f} s "
              f"(target < 300 s)   {summarizer.report()}")
        before = cache.read_bytes()
        rerun = Summarizer("default", cache_path=cache, progress=False)  # lazy: must not load weights
        _, cached_s = timed(lambda: pipeline_like(rerun))
        print(f"cached rerun: {cached_s:.2f} s (target < 10 s), model loaded: {rerun.model_loaded}, "
              f"cache byte-identical: {cache.read_bytes() == before}   {rerun.report()}")
        for entry in summarized[:8]:
            flags = ("extractive " if entry.extractive else "") + ("guarded" if entry.guarded else "")
            print(f"  [{flags or 'accepted'}] {entry.summary}")
        print(f"  [month {periods[0].label}] {periods[0].text}")
        print(f"  [overview] {overview.text}")

    if args.seeds:
        from timeline.pipeline import build_timeline

        model.to(torch.bfloat16)
        cache = work / "seeds.json"
        summarizer = Summarizer("default", cache_path=cache, progress=False, batch_size=args.batch_size,
                                generator=ChatGenerator.wrap(model, tokenizer, model_id), model_id=model_id)
        result, seconds = timed(lambda: build_timeline(ROOT / "seeds", summarizer=summarizer))
        print(f"seeds run: {len(result.entries)} entries + {len(result.periods)} month paragraphs + overview, "
              f"every stage, in {seconds:.1f} s (target < 300 s)   {summarizer.report()}")
        rerun = Summarizer("default", cache_path=cache, progress=False)  # lazy: must not load weights
        again, cached_s = timed(lambda: build_timeline(ROOT / "seeds", summarizer=rerun))
        same = [e.summary for e in again.entries] == [e.summary for e in result.entries]
        print(f"seeds cached rerun: {cached_s:.2f} s (target < 10 s), model loaded: {rerun.model_loaded}, "
              f"same summaries: {same}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
