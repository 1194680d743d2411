using RlPlat.Experiments.Config;
using RlPlat.Experiments.Running;

namespace RlPlat.Experiments.Cli;

/// <summary><c>rlplat serve</c>: serves a registered env over the wire protocol until Ctrl+C.</summary>
internal sealed class ServeCommand : Command
{
    public override string Name => "serve";
    public override string Summary => "Serve a registered env over the wire protocol (TCP, MessagePack frames) until Ctrl+C.";
    public override string Usage => "serve ENV [--port P]";
    public override IReadOnlyList<OptionSpec> Options { get; } = [new("port", "P", "TCP port to listen on (default 0: any free port, printed)")];
    public override string Details => "Exit codes: 0 stopped by Ctrl+C, 2 bad env id or port, 4 no remote env server in this build.";

    public override int Execute(ParsedArgs args, CommandIO io, CancellationToken cancel)
    {
        ExpectPositionals(args, 1, 1);
        var env = args.Positionals[0];
        if (!ExperimentSchema.EnvIdPattern().IsMatch(env)) throw new UsageException($"serve: '{env}' is not an env id (Name-vN)");
        int port = (int)(args.Long("port", 0, 65535) ?? 0);
        if (RemoteEnvHosting.WhyUnavailable is { } why)
        {
            io.Error.WriteLine($"rlplat serve: {why}");
            return ExitCodes.Unavailable;
        }
        using var served = RemoteEnvHosting.Start!(env, port);
        io.Out.WriteLine($"rlplat serve: serving {env} on 127.0.0.1:{served.Port}; Ctrl+C stops");
        cancel.WaitHandle.WaitOne();
        io.Out.WriteLine("rlplat serve: stopped");
        return ExitCodes.Success;
    }
}
