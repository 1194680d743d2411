using System.Diagnostics;

namespace RlPlat.Engine.Kernels;

/// <summary>
/// A fork-join team of persistent worker threads for <see cref="Parallelism"/>: one job at a time, whose pieces the caller
/// and the workers claim from a shared counter. A worker that just finished a job spins briefly before it blocks, so
/// back-to-back parallel kernels hand work over in about a microsecond (Parallel.For took 10-15 µs per 2-way split here,
/// as much as a 1M-element add saves by splitting).
/// </summary>
/// <remarks>
/// Pieces are claimed dynamically: when a worker is slow to wake (a loaded machine, a descheduled thread) the caller
/// claims its pieces too, so a split never waits for a thread that has not started; it only waits for pieces already
/// running. A call made while a job runs (from a kernel body, or from another thread) does not queue behind it: the
/// caller gets false and runs the work some other way.
/// </remarks>
internal static class ForkJoin
{
    /// <summary>How long a worker keeps polling for the next job before it blocks (about as long as a 1M-element add).</summary>
    private static readonly long SpinTicks = Stopwatch.Frequency / 10_000;

    private static readonly object GrowGate = new();
    private static Worker[] workers = [];
    private static Job? current;
    private static int busy;

    /// <summary>
    /// Runs <paramref name="body"/>(p) for every p in [0, <paramref name="pieces"/>) on the calling thread and up to
    /// <paramref name="helpers"/> workers; returns false (running nothing) when another job holds the team.
    /// Exceptions from pieces are rethrown on the caller as one <see cref="AggregateException"/>, as Parallel.For does.
    /// </summary>
    internal static bool TryRun(int pieces, int helpers, Action<int> body)
    {
        if (Interlocked.CompareExchange(ref busy, 1, 0) != 0) return false;
        try
        {
            var team = Team(helpers);
            var job = new Job(body, pieces, Math.Min(helpers, team.Length));
            Volatile.Write(ref current, job);
            for (int w = 0; w < job.Helpers; w++) team[w].Wake();
            job.Work();
            job.WaitForRunningPieces();
            Volatile.Write(ref current, null);
            if (job.Errors is { } errors) throw new AggregateException(errors);
            return true;
        }
        finally
        {
            Volatile.Write(ref busy, 0);
        }
    }

    /// <summary>The worker threads, started on first use and grown when more are asked for (never shrunk).</summary>
    private static Worker[] Team(int helpers)
    {
        var team = workers;
        if (team.Length >= helpers) return team;
        lock (GrowGate)
        {
            team = workers;
            if (team.Length >= helpers) return team;
            var grown = new Worker[helpers];
            Array.Copy(team, grown, team.Length);
            for (int w = team.Length; w < helpers; w++) grown[w] = new Worker(w);
            workers = grown;
            return grown;
        }
    }

    /// <summary>One parallel call: its pieces, the next unclaimed one, and how many are not finished.</summary>
    private sealed class Job(Action<int> body, int pieces, int helpers)
    {
        internal readonly int Helpers = helpers;
        private readonly int count = pieces;
        private int next;
        private int unfinished = pieces;
        internal List<Exception>? Errors;

        /// <summary>Claims and runs pieces until none are left to claim.</summary>
        internal void Work()
        {
            int p;
            while ((p = Interlocked.Increment(ref next) - 1) < count)
            {
                try { body(p); }
                catch (Exception e) { lock (this) (Errors ??= []).Add(e); }
                finally { Interlocked.Decrement(ref unfinished); }
            }
        }

        /// <summary>Waits for pieces that workers claimed and still run; yields rather than sleeps (they are short).</summary>
        internal void WaitForRunningPieces()
        {
            var spinner = new SpinWait();
            while (Volatile.Read(ref unfinished) > 0) spinner.SpinOnce(sleep1Threshold: -1);
        }
    }

    /// <summary>A background thread that polls for jobs for <see cref="SpinTicks"/> after its last one, then blocks.</summary>
    private sealed class Worker
    {
        private readonly int index;
        private readonly ManualResetEventSlim wakeUp = new(false, spinCount: 0);
        private int sleeping;

        internal Worker(int index)
        {
            this.index = index;
            new Thread(Loop) { IsBackground = true, Name = $"rlplat-kernel-{index + 1}" }.Start();
        }

        /// <summary>Unblocks the worker if it sleeps; a polling worker sees the new job by itself.</summary>
        internal void Wake()
        {
            if (Interlocked.Exchange(ref sleeping, 0) == 1) wakeUp.Set();
        }

        private void Loop()
        {
            Job? last = null;
            long spinUntil = 0;
            while (true)
            {
                var job = NextJob(last, ref spinUntil);
                last = job;
                if (index >= job.Helpers) continue; // a job for fewer threads: keep the old spin deadline, do not spin on
                job.Work();
                spinUntil = Stopwatch.GetTimestamp() + SpinTicks;
            }
        }

        /// <summary>The first job other than <paramref name="last"/>: polled for until <paramref name="spinUntil"/>, then waited for.</summary>
        private Job NextJob(Job? last, ref long spinUntil)
        {
            var spinner = new SpinWait();
            while (true)
            {
                var job = Volatile.Read(ref current);
                if (job != null && job != last) return job;
                if (Stopwatch.GetTimestamp() < spinUntil) { spinner.SpinOnce(sleep1Threshold: -1); continue; }

                // Block. The caller publishes the job before it clears `sleeping`, and we set `sleeping` before we look
                // at the job once more (both interlocked), so one of us sees the other: no wake-up is lost.
                wakeUp.Reset();
                Interlocked.Exchange(ref sleeping, 1);
                job = Volatile.Read(ref current);
                if (job != null && job != last)
                {
                    Interlocked.Exchange(ref sleeping, 0);
                    return job;
                }
                wakeUp.Wait();
                spinUntil = Stopwatch.GetTimestamp() + SpinTicks;
            }
        }
    }
}
