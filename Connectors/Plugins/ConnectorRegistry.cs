namespace RlPlat.Connectors.Plugins;

/// <summary>
/// Finds connectors by the name YAML gives: a registered name (the built-ins, or <see cref="Register"/>), a
/// <see cref="ConnectorAttribute"/> name on a class in any loaded assembly, or an assembly-qualified type name such
/// as <c>"MyNamespace.MyConnector, MyAssembly"</c> (the assembly is loaded by name from the app's folder).
/// </summary>
public static class ConnectorRegistry
{
    private static readonly Dictionary<string, Type> Named = new(StringComparer.OrdinalIgnoreCase)
    {
        ["local"] = typeof(LocalConnector),
        ["tcp"] = typeof(TcpConnector),
        ["websocket"] = typeof(WebSocketConnector),
        ["sensor-stream"] = typeof(SensorStreamConnector),
        ["replay"] = typeof(ReplayConnector),
        ["web"] = typeof(Web.WebConnector),
    };

    private static readonly Lock Gate = new();

    /// <summary>Registers (or replaces) a connector type under <paramref name="name"/>.</summary>
    public static void Register(string name, Type type)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("ConnectorRegistry.Register: the name is empty.", nameof(name));
        CheckType(type, name);
        lock (Gate) Named[name] = type;
    }

    /// <summary>Registers <typeparamref name="T"/> under <paramref name="name"/>.</summary>
    public static void Register<T>(string name) where T : IConnector, new() => Register(name, typeof(T));

    /// <summary>The registered names, sorted.</summary>
    public static IReadOnlyList<string> Names
    {
        get { lock (Gate) return Named.Keys.Order(StringComparer.Ordinal).ToArray(); }
    }

    /// <summary>The connector type a YAML name refers to; an <see cref="ArgumentException"/> lists what is known.</summary>
    public static Type Resolve(string name)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("connector: the name is empty.", nameof(name));
        lock (Gate) if (Named.TryGetValue(name, out var known)) return known;
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (assembly.IsDynamic) continue;
            Type[] types;
            try { types = assembly.GetTypes(); }
            catch (System.Reflection.ReflectionTypeLoadException e) { types = e.Types.Where(t => t is not null).ToArray()!; }
            foreach (var type in types)
                if (ConnectorName(type) is { } found && string.Equals(found, name, StringComparison.OrdinalIgnoreCase))
                {
                    CheckType(type, name);
                    lock (Gate) Named[name] = type;
                    return type;
                }
        }
        Type? byName;
        try { byName = Type.GetType(name, throwOnError: false); }
        catch (Exception e) when (e is IOException or BadImageFormatException or ArgumentException or TypeLoadException) { byName = null; }
        if (byName is not null)
        {
            CheckType(byName, name);
            return byName;
        }
        throw new ArgumentException($"connector '{name}' is unknown: not a registered name ({string.Join(", ", Names)}), not a [Connector(\"{name}\")] class in a loaded assembly, and not a type name such as \"MyNamespace.MyConnector, MyAssembly\".", nameof(name));
    }

    /// <summary>Creates the connector named <paramref name="name"/> and configures it with <paramref name="options"/>.</summary>
    public static IConnector Create(string name, IReadOnlyDictionary<string, object?>? options = null)
    {
        var type = Resolve(name);
        var connector = (IConnector)Activator.CreateInstance(type)!;
        if (connector is IConnectorNaming naming) naming.SetName(name);
        try { connector.Configure(options ?? new Dictionary<string, object?>()); }
        catch
        {
            connector.Dispose();
            throw;
        }
        return connector;
    }

    private static string? ConnectorName(Type type)
    {
        // Reading attributes can load other assemblies; a type whose dependencies are missing is simply not a candidate.
        try { return type.GetCustomAttributes(typeof(ConnectorAttribute), false) is [ConnectorAttribute a] ? a.Name : null; }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException or TypeLoadException or BadImageFormatException) { return null; }
    }

    private static void CheckType(Type type, string name)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (!typeof(IConnector).IsAssignableFrom(type) || type.IsAbstract)
            throw new ArgumentException($"connector '{name}': type {type.FullName} is not a concrete class implementing IConnector.");
        if (type.GetConstructor(Type.EmptyTypes) is null)
            throw new ArgumentException($"connector '{name}': type {type.FullName} needs a public constructor without parameters (options arrive through Configure).");
    }
}

/// <summary>Lets the registry tell a <see cref="Connector{TOptions}"/> the name it was created under.</summary>
internal interface IConnectorNaming
{
    void SetName(string name);
}
