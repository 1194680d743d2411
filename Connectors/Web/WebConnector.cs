using System.Reactive.Concurrency;
using System.Reactive.Linq;
using RlPlat.Connectors.Plugins;
using RlPlat.Connectors.Streams;
using RlPlat.Environments;

namespace RlPlat.Connectors.Web;

/// <summary>
/// "web": a game running in a browser page (the built-in Catch, or <c>page_directory</c>). Each opened env or stream
/// is one tab of a browser shared by every web connector with the same server settings, so n_envs envs are n tabs.
/// Lockstep envs are <see cref="WebEnv{TObs,TAction}"/>; live envs are the <see cref="LiveGame"/> stream seen through
/// a <see cref="StreamEnv{TObs,TAction}"/>.
/// </summary>
[Connector("web")]
public sealed class WebConnector : Connector<WebGameOptions>
{
    /// <inheritdoc/>
    public override IEnv OpenEnv()
    {
        var slot = WebGameHost.OpenSharedSlot(Options);
        try
        {
            if (Options.Mode == WebMode.Lockstep) return WebEnv.Open(slot, Options);
            var live = LiveGame.Open(slot, Options, TaskPoolScheduler.Default);
            return new StreamEnv<object, object>(live.Finally(live.Dispose), live.Actions, live.ObservationSpace, live.ActionSpace,
                new StreamEnvOptions { Timeout = Options.StepTimeout, Capacity = Options.Capacity });
        }
        catch
        {
            slot.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public override IObservable<Transition<object, object>> OpenStream(ConnectorContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (Options.Mode == WebMode.Lockstep)
        {
            if (context.Actions is null)
                throw new InvalidOperationException($"connector '{Name}': a lockstep page waits for every action; give the stream actions, or use mode: live.");
            return Observable.Defer(() =>
            {
                var env = OpenEnv();
                return EnvStream.AgentPaced<object, object>(new ObjectEnv(env), context.Actions, context.Scheduler, Options.Seed).Finally(env.Close);
            });
        }
        return Observable.Create<Transition<object, object>>(observer =>
        {
            var slot = WebGameHost.OpenSharedSlot(Options);
            LiveGame live;
            try { live = LiveGame.Open(slot, Options, context.Scheduler); }
            catch { slot.Dispose(); throw; }
            // The socket's receive loop never waits for the subscriber: frames queue in a bounded, lossy buffer.
            var buffer = new BackpressureBuffer<Transition<object, object>>(Options.Backpressure, Options.Capacity, context.Scheduler);
            var delivery = buffer.Drain(context.Scheduler).Subscribe(observer);
            var feed = buffer.Attach(live);
            var actions = context.Actions?.Subscribe(live.Actions);
            return () =>
            {
                actions?.Dispose();
                feed.Dispose();
                delivery.Dispose();
                buffer.Dispose();
                live.Dispose();
            };
        });
    }
}
