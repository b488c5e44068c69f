using System.Collections;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using FluentAssertions;
using Xunit;

namespace MetadataStore.Conformance;

/// <summary>
/// Drives every method of <see cref="IMetadataStore"/> and every public static method of the package (extensions,
/// factories, the filter builder) with hostile arguments chosen by parameter type: nulls, empty and huge collections,
/// unknown ids, text that is not valid UTF-16, non-finite doubles, undefined enum values, bad page sizes and tokens.
/// Any exception other than <see cref="MetadataStoreException"/>, <see cref="OperationCanceledException"/>,
/// <see cref="ObjectDisposedException"/> or, for an argument that is itself null, <see cref="ArgumentNullException"/>
/// fails the test. Methods and parameter types are found by reflection, so methods added or renamed later are swept too.
/// </summary>
public abstract class HostileArgumentConformance(IStoreFactory factory) : IDisposable
{
    private static readonly TimeSpan CallBound = TimeSpan.FromSeconds(60);

    /// <summary>Lets the factory remove what it created for this test.</summary>
    public void Dispose() => factory.Dispose();

    /// <summary>Every store method fails only with the allowed exceptions.</summary>
    [Fact]
    public async Task Every_store_method_fails_only_with_the_allowed_exceptions()
    {
        await using var store = await factory.OpenEmptyAsync();
        var values = await HostileValues.SeedAsync(store);
        var methods = typeof(IMetadataStore).GetMethods().Where(m => !m.IsSpecialName).ToArray();

        var report = await SweepAsync(methods, store, values);

        report.Calls.Should().BeGreaterThan(methods.Length * 5);
        report.Failures.Should().BeEmpty();
        await StillWorksAsync(store);
    }

    /// <summary>Every public static method fails only with the allowed exceptions.</summary>
    [Fact]
    public async Task Every_public_static_method_fails_only_with_the_allowed_exceptions()
    {
        await using var store = await factory.OpenEmptyAsync();
        var values = await HostileValues.SeedAsync(store);
        var methods = typeof(IMetadataStore).Assembly.GetExportedTypes()
            .Select(Close)
            .OfType<Type>()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => !m.IsGenericMethodDefinition && !m.GetParameters().Any(p => p.ParameterType.IsByRefLike || p.ParameterType.IsByRef))
            .ToArray();

        var report = await SweepAsync(methods, store, values);

        methods.Should().Contain(m => m.DeclaringType == typeof(MetadataStoreExtensions), "the extension methods are swept");
        methods.Should().Contain(m => m.DeclaringType == typeof(PropertyValue), "the value factories are swept");
        report.Failures.Should().BeEmpty();
        await StillWorksAsync(store);
    }

    /// <summary>A generic type closed over a node or an enum type, whichever its constraints allow; other types as they are.</summary>
    private static Type? Close(Type type)
    {
        if (!type.IsGenericTypeDefinition)
        {
            return type;
        }

        foreach (var argument in new[] { typeof(Artifact), typeof(ArtifactState) })
        {
            try
            {
                return type.MakeGenericType(Enumerable.Repeat(argument, type.GetGenericArguments().Length).ToArray());
            }
            catch (ArgumentException)
            {
                // The constraints refuse this argument; try the next.
            }
        }

        return null;
    }

    private static async Task StillWorksAsync(IMetadataStore store)
    {
        var type = await store.AddArtifactTypeAsync();
        var id = await store.PutArtifactAsync(Artifact.Of(type.Id!.Value, "after-the-sweep"));
        (await store.GetArtifactAsync(id)).Uri.Should().Be("after-the-sweep");
    }

    private static async Task<SweepReport> SweepAsync(IEnumerable<MethodInfo> methods, IMetadataStore store, HostileValues values)
    {
        var failures = new List<string>();
        var calls = 0;
        foreach (var method in methods)
        {
            var parameters = method.GetParameters();
            var benign = new object?[parameters.Length];
            for (var i = 0; i < parameters.Length; i++)
            {
                benign[i] = values.Benign(parameters[i].ParameterType);
            }

            for (var i = 0; i < parameters.Length; i++)
            {
                foreach (var hostile in values.Hostile(parameters[i].ParameterType, depth: 0))
                {
                    var args = (object?[])benign.Clone();
                    args[i] = hostile.Value;
                    calls++;
                    var failure = await CallAsync(method, method.IsStatic ? null : store, args);
                    if (failure is not null && !(failure is ArgumentNullException && hostile.Value is null))
                    {
                        failures.Add($"{method.DeclaringType!.Name}.{method.Name}({parameters[i].Name} = {hostile.Label}): {failure.GetType().Name}: {failure.Message}");
                    }
                }
            }
        }

        return new SweepReport(calls, failures);
    }

    /// <summary>Calls the method and waits for its task or enumeration; returns the exception that is not a store one, if any.</summary>
    private static async Task<Exception?> CallAsync(MethodInfo method, object? target, object?[] args)
    {
        try
        {
            object? result;
            try
            {
                result = method.Invoke(target, args);
            }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                throw ex.InnerException;
            }

            var completion = Complete(result);
            if (await Task.WhenAny(completion, Task.Delay(CallBound)) != completion)
            {
                return new TimeoutException($"the call did not end within {CallBound.TotalSeconds} s");
            }

            await completion;
            return null;
        }
        catch (Exception ex) when (ex is MetadataStoreException or OperationCanceledException or ObjectDisposedException)
        {
            return null;
        }
        catch (Exception ex)
        {
            return ex;
        }
    }

    private static async Task Complete(object? result)
    {
        switch (result)
        {
            case Task task:
                await task;
                var value = task.GetType().IsGenericType ? task.GetType().GetProperty("Result")!.GetValue(task) : null;
                await DisposeAsync(value);
                break;
            case ValueTask valueTask:
                await valueTask;
                break;
            case not null when result.GetType().GetInterfaces().FirstOrDefault(IsAsyncEnumerable) is { } enumerable:
                var drain = typeof(HostileArgumentConformance).GetMethod(nameof(DrainAsync), BindingFlags.NonPublic | BindingFlags.Static)!;
                await (Task)drain.MakeGenericMethod(enumerable.GetGenericArguments()[0]).Invoke(null, [result])!;
                break;
            case not null when result.GetType().IsGenericType && result.GetType().GetGenericTypeDefinition() == typeof(ValueTask<>):
                await (Task)result.GetType().GetMethod("AsTask")!.Invoke(result, null)!;
                break;
            default:
                _ = result?.ToString();
                break;
        }
    }

    private static bool IsAsyncEnumerable(Type type) => type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IAsyncEnumerable<>);

    private static async Task DrainAsync<T>(IAsyncEnumerable<T> source)
    {
        var count = 0;
        await foreach (var item in source)
        {
            if (++count > 1_000)
            {
                break;
            }
        }
    }

    /// <summary>A store opened by a static method is closed again.</summary>
    private static async Task DisposeAsync(object? value)
    {
        if (value is IMetadataStore store)
        {
            await store.DisposeAsync();
        }
    }

    private sealed record SweepReport(int Calls, IReadOnlyList<string> Failures);
}

/// <summary>Benign and hostile arguments for a parameter type, built from the type itself so new types are covered.</summary>
internal sealed class HostileValues
{
    private const int Huge = 100_000;
    private static readonly string HugeText = new('x', 1_000_000);

    private readonly IMetadataStore _store;
    private readonly long _artifactTypeId;
    private readonly long _executionTypeId;
    private readonly long _contextTypeId;
    private readonly string _artifactTypeName;
    private readonly Dictionary<(Type, int), List<(object? Value, string Label)>> _hostile = [];

    private HostileValues(IMetadataStore store, long artifactTypeId, long executionTypeId, long contextTypeId, string artifactTypeName)
    {
        _store = store;
        _artifactTypeId = artifactTypeId;
        _executionTypeId = executionTypeId;
        _contextTypeId = contextTypeId;
        _artifactTypeName = artifactTypeName;
    }

    /// <summary>A store with a type of each kind, nodes, events and links, so that benign arguments name things that exist.</summary>
    public static async Task<HostileValues> SeedAsync(IMetadataStore store)
    {
        var artifactType = await store.AddArtifactTypeAsync(("i", PropertyKind.Int), ("d", PropertyKind.Double), ("s", PropertyKind.String), ("st", PropertyKind.Struct), ("b", PropertyKind.Boolean));
        var executionType = await store.AddExecutionTypeAsync(("i", PropertyKind.Int));
        var contextType = await store.AddContextTypeAsync(("i", PropertyKind.Int));
        var artifactId = await store.PutArtifactAsync(Artifact.Of(artifactType.Id!.Value, "seed", "seed").With("i", 1).With("d", 0.5).With("s", "s"));
        var executionId = await store.PutSingleExecutionAsync(Execution.Of(executionType.Id!.Value, ExecutionState.Complete, "seed"));
        var parent = await store.PutContextAsync(Context.Of(contextType.Id!.Value, "parent"));
        var child = await store.PutContextAsync(Context.Of(contextType.Id!.Value, "child"));
        await store.PutEventsAsync([Event.Of(EventType.Output, artifactId, executionId).WithPath("out", 0)]);
        await store.PutAttributionsAndAssociationsAsync([new Attribution(child, artifactId)], [new Association(child, executionId)]);
        await store.PutParentContextsAsync([new ParentContext(child, parent)]);
        return new HostileValues(store, artifactType.Id!.Value, executionType.Id!.Value, contextType.Id!.Value, artifactType.Name);
    }

    /// <summary>An ordinary value of the type, so that a call gets as far as the one hostile argument.</summary>
    public object? Benign(Type type)
    {
        var nullable = Nullable.GetUnderlyingType(type);
        if (nullable is not null)
        {
            return Benign(nullable);
        }

        if (type == typeof(string))
        {
            return "benign";
        }

        if (type == typeof(IMetadataStore))
        {
            return _store;
        }

        if (type == typeof(CancellationToken))
        {
            return CancellationToken.None;
        }

        if (type == typeof(Microsoft.Extensions.Logging.ILogger))
        {
            return Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        }

        if (type == typeof(long) || type == typeof(int) || type == typeof(short) || type == typeof(byte) || type == typeof(double) || type == typeof(float))
        {
            return Convert.ChangeType(1, type, System.Globalization.CultureInfo.InvariantCulture);
        }

        if (type == typeof(bool))
        {
            return false;
        }

        if (type == typeof(JsonElement))
        {
            return JsonDocument.Parse("{\"k\":1}").RootElement;
        }

        if (type == typeof(object))
        {
            return "benign";
        }

        if (type == typeof(Artifact))
        {
            return Artifact.Of(_artifactTypeId, "benign");
        }

        if (type == typeof(Execution))
        {
            return Execution.Of(_executionTypeId);
        }

        if (type == typeof(Context))
        {
            return Context.Of(_contextTypeId, Some.Name("benign"));
        }

        if (type == typeof(Event))
        {
            return Event.Of(EventType.Input, 1, 1);
        }

        if (type.IsEnum)
        {
            var defined = Enum.GetValues(type);
            return defined.Length > 1 ? defined.GetValue(1) : defined.GetValue(0);
        }

        if (ElementType(type) is { } element)
        {
            return MakeCollection(type, element, []);
        }

        if (DictionaryTypes(type) is { } kv)
        {
            return MakeDictionary(type, kv.Key, kv.Value, []);
        }

        if (type.IsValueType)
        {
            return FromFactory(type) ?? Activator.CreateInstance(type);
        }

        if (type.IsAbstract && !type.IsInterface && type.Assembly.GetExportedTypes().FirstOrDefault(t => !t.IsAbstract && type.IsAssignableFrom(t)) is { } concrete)
        {
            return Benign(concrete);
        }

        if (type.IsInterface || type.IsAbstract || type.IsByRefLike || typeof(Delegate).IsAssignableFrom(type))
        {
            return FromFactory(type) ?? throw new InvalidOperationException($"The sweep has no benign value for parameter type {type}; teach {nameof(HostileValues)} one.");
        }

        return Construct(type) ?? FromFactory(type) ?? throw new InvalidOperationException($"The sweep has no benign value for parameter type {type}; teach {nameof(HostileValues)} one.");
    }

    /// <summary>Hostile values of the type, each with a label; <paramref name="depth"/> bounds how deep objects are varied.</summary>
    public IReadOnlyList<(object? Value, string Label)> Hostile(Type type, int depth)
    {
        if (!_hostile.TryGetValue((type, depth), out var list))
        {
            list = [.. BuildHostile(type, depth)];
            _hostile[(type, depth)] = list;
        }

        return list;
    }

    private IEnumerable<(object? Value, string Label)> BuildHostile(Type type, int depth)
    {
        var nullable = Nullable.GetUnderlyingType(type);
        if (!type.IsValueType || nullable is not null)
        {
            yield return (null, "null");
        }

        type = nullable ?? type;
        if (type == typeof(string))
        {
            yield return (string.Empty, "empty");
            yield return (" \t", "white space");
            yield return ("a\uD800", "lone high surrogate");
            yield return ("\uDC00b", "lone low surrogate");
            yield return ("x\0y", "NUL");
            yield return ("'; DROP TABLE Artifact; --%_\\", "SQL text");
            yield return (depth == 0 ? HugeText : "h" + new string('x', 10_000), "huge");
            yield return (_artifactTypeName, "a stored type name");
            yield return ("QUJD", "short base64");
            yield return (Convert.ToBase64String(new byte[36]), "36 zero bytes in base64");
            yield return (Convert.ToBase64String(Enumerable.Range(0, 36).Select(i => (byte)(i * 37)).ToArray()), "36 bytes of garbage in base64");
            yield break;
        }

        if (type == typeof(long))
        {
            foreach (var v in new[] { -1L, 0L, long.MinValue, long.MaxValue, 1L << 40 })
            {
                yield return (v, v.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            yield break;
        }

        if (type == typeof(int) || type == typeof(short))
        {
            foreach (var v in new[] { -1, 0, int.MinValue, int.MaxValue, 100_001 })
            {
                yield return (type == typeof(short) ? (short)Math.Clamp(v, short.MinValue, short.MaxValue) : v, v.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            yield break;
        }

        if (type == typeof(double) || type == typeof(float))
        {
            foreach (var v in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0, double.Epsilon, double.MaxValue })
            {
                yield return (type == typeof(float) ? (float)v : v, v.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
            }

            yield break;
        }

        if (type == typeof(DateTimeOffset))
        {
            yield return (DateTimeOffset.MinValue, "DateTimeOffset.MinValue");
            yield return (DateTimeOffset.MaxValue, "DateTimeOffset.MaxValue");
            yield return (DateTimeOffset.FromUnixTimeMilliseconds(-1), "before the epoch");
            yield break;
        }

        if (type == typeof(bool))
        {
            yield return (true, "true");
            yield return (false, "false");
            yield break;
        }

        if (type == typeof(CancellationToken))
        {
            yield return (new CancellationToken(canceled: true), "a cancelled token");
            yield break;
        }

        if (type == typeof(IMetadataStore))
        {
            yield break;
        }

        if (type == typeof(JsonElement))
        {
            yield return (default(JsonElement), "an undefined element");
            foreach (var json in new[] { "[1]", "1", "{\"x\":1e400}", "{\"\\ud800\":1}", "{\"x\":\"\\udc00\"}", "{\"a\":1,\"a\":2}", Deep(200) })
            {
                yield return (JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 1000 }).RootElement, json.Length > 40 ? json[..40] + "..." : json);
            }

            yield break;
        }

        if (type == typeof(object))
        {
            yield return (new object(), "an object");
            yield return (3.5, "a double");
            yield return ("a\uD800", "a lone surrogate");
            yield break;
        }

        if (type.IsEnum)
        {
            foreach (var v in Enum.GetValues(type))
            {
                yield return (v, v.ToString()!);
            }

            yield return (Enum.ToObject(type, -1), "-1");
            yield return (Enum.ToObject(type, 1000), "1000");
            yield break;
        }

        if (ElementType(type) is { } element)
        {
            yield return (MakeCollection(type, element, []), "empty");
            var benignElement = Benign(element);
            if (depth < 2)
            {
                yield return (MakeCollection(type, element, Enumerable.Repeat(benignElement, Huge)), $"{Huge} items");
            }

            if (element == typeof(long))
            {
                yield return (MakeCollection(type, element, Enumerable.Range(0, Huge).Select(i => (object?)(long)(i * 7919L - 50_000))), $"{Huge} mostly unknown ids");
            }

            if (depth < 2)
            {
                foreach (var (value, label) in Hostile(element, depth + 1).Take(200))
                {
                    yield return (MakeCollection(type, element, [value]), $"[{label}]");
                }

                yield return (MakeCollection(type, element, [benignElement, benignElement]), "a duplicate");
            }

            yield break;
        }

        if (DictionaryTypes(type) is { } kv)
        {
            yield return (MakeDictionary(type, kv.Key, kv.Value, []), "empty");
            if (depth < 2)
            {
                var benignValue = Benign(kv.Value);
                foreach (var (key, label) in Hostile(kv.Key, depth + 1).Where(k => k.Value is not null).Take(10))
                {
                    yield return (MakeDictionary(type, kv.Key, kv.Value, [new(key!, benignValue)]), $"{{key {label}}}");
                }

                foreach (var (value, label) in Hostile(kv.Value, depth + 1).Take(30))
                {
                    yield return (MakeDictionary(type, kv.Key, kv.Value, [new(Benign(kv.Key)!, value)]), $"{{value {label}}}");
                }
            }

            yield break;
        }

        if (type.IsByRefLike || typeof(Delegate).IsAssignableFrom(type))
        {
            yield break;
        }

        if (type.IsValueType)
        {
            yield return (Activator.CreateInstance(type), "default");
        }

        if (depth >= 2)
        {
            yield break;
        }

        // An object: each writable property in turn set to each of its hostile values.
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.SetMethod is not { IsPublic: true } || property.GetIndexParameters().Length > 0)
            {
                continue;
            }

            foreach (var (value, label) in Hostile(property.PropertyType, depth + 1).Take(30))
            {
                var instance = Benign(type);
                if (instance is null)
                {
                    break;
                }

                property.SetValue(instance, value);
                yield return (instance, $"{type.Name} {{ {property.Name} = {label} }}");
            }
        }
    }

    private static string Deep(int depth) => new StringBuilder().Insert(0, "{\"k\":", depth).Append('1').Append('}', depth).ToString();

    /// <summary>A new instance through the public constructor with the fewest parameters, each benign.</summary>
    private object? Construct(Type type)
    {
        var constructor = type.GetConstructors().Where(c => !c.GetParameters().Any(p => p.ParameterType == type)).OrderBy(c => c.GetParameters().Length).FirstOrDefault();
        return constructor?.Invoke(constructor.GetParameters().Select(p => Benign(p.ParameterType)).ToArray());
    }

    /// <summary>
    /// A value from a public static property or factory method of the type that returns it, or else from a public
    /// property of a value another type's factory makes (a builder's <c>Filter.Property("p").BoolValue</c>).
    /// </summary>
    private object? FromFactory(Type type)
    {
        if (FromOwnFactory(type) is { } own)
        {
            return own;
        }

        // Only the library's own factories: a framework type's would include methods such as Environment.FailFast.
        foreach (var other in typeof(IMetadataStore).Assembly.GetExportedTypes().Where(t => t != type && !t.IsGenericTypeDefinition && !t.IsEnum))
        {
            foreach (var factory in other.GetMethods(BindingFlags.Public | BindingFlags.Static).Where(m => !m.IsSpecialName && !m.IsGenericMethodDefinition && m.GetParameters().All(p => p.ParameterType == typeof(string))))
            {
                object? made;
                try
                {
                    made = factory.Invoke(null, factory.GetParameters().Select(_ => (object?)"p").ToArray());
                }
                catch (TargetInvocationException)
                {
                    continue;
                }

                var property = made?.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).FirstOrDefault(p => type.IsAssignableFrom(p.PropertyType) && p.GetIndexParameters().Length == 0);
                if (property is not null)
                {
                    return property.GetValue(made);
                }
            }
        }

        return null;
    }

    private object? FromOwnFactory(Type type)
    {
        var property = type.GetProperties(BindingFlags.Public | BindingFlags.Static).FirstOrDefault(p => type.IsAssignableFrom(p.PropertyType) && p.GetIndexParameters().Length == 0);
        if (property is not null)
        {
            return property.GetValue(null);
        }

        var factories = type.GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Where(m => type.IsAssignableFrom(m.ReturnType) && !m.IsSpecialName && !m.IsGenericMethodDefinition && m.GetParameters().All(p => p.ParameterType != type && !p.ParameterType.IsByRefLike))
            .OrderBy(m => m.GetParameters().Length);
        foreach (var factory in factories)
        {
            // A parser gets a small valid filter query; other factories get benign arguments and may refuse them.
            var args = factory.Name == "Parse" && factory.GetParameters() is [{ ParameterType: var p }] && p == typeof(string)
                ? ["id > 0"]
                : factory.GetParameters().Select(p => Benign(p.ParameterType)).ToArray();
            try
            {
                return factory.Invoke(null, args);
            }
            catch (TargetInvocationException)
            {
            }
        }

        return null;
    }

    private static Type? ElementType(Type type)
    {
        if (type.IsArray)
        {
            return type.GetElementType();
        }

        if (!type.IsGenericType)
        {
            return null;
        }

        var definition = type.GetGenericTypeDefinition();
        return definition == typeof(IReadOnlyCollection<>) || definition == typeof(IReadOnlyList<>) || definition == typeof(IEnumerable<>)
            || definition == typeof(List<>) || definition == typeof(ICollection<>) || definition == typeof(IList<>) || definition == typeof(ISet<>)
            || definition == typeof(IReadOnlySet<>) || definition == typeof(HashSet<>)
            ? type.GetGenericArguments()[0]
            : null;
    }

    private static KeyValuePair<Type, Type>? DictionaryTypes(Type type)
    {
        if (!type.IsGenericType)
        {
            return null;
        }

        var definition = type.GetGenericTypeDefinition();
        return definition == typeof(IReadOnlyDictionary<,>) || definition == typeof(IDictionary<,>) || definition == typeof(Dictionary<,>)
            ? new(type.GetGenericArguments()[0], type.GetGenericArguments()[1])
            : null;
    }

    private static object MakeCollection(Type type, Type element, IEnumerable<object?> items)
    {
        var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(element))!;
        foreach (var item in items)
        {
            list.Add(item);
        }

        if (type.IsArray)
        {
            var array = Array.CreateInstance(element, list.Count);
            list.CopyTo(array, 0);
            return array;
        }

        if (type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(ISet<>) || type.GetGenericTypeDefinition() == typeof(IReadOnlySet<>) || type.GetGenericTypeDefinition() == typeof(HashSet<>)))
        {
            return Activator.CreateInstance(typeof(HashSet<>).MakeGenericType(element), list)!;
        }

        return list;
    }

    private static object MakeDictionary(Type type, Type key, Type value, IEnumerable<KeyValuePair<object, object?>> entries)
    {
        var dictionary = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(key, value))!;
        foreach (var (k, v) in entries)
        {
            dictionary[k] = v;
        }

        return dictionary;
    }
}
