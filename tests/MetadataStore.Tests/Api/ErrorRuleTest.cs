using System.Reflection;
using FluentAssertions;
using Microsoft.Extensions.Logging;
using Xunit;

namespace MetadataStore.Tests.Api;

/// <summary>
/// The one error rule, over every public method of <see cref="IMetadataStore"/> and <see cref="MetadataStoreExtensions"/>,
/// found by reflection: a null for a parameter not annotated nullable throws <see cref="ArgumentNullException"/> before
/// any task exists; a bad non-null value gives a faulted task (or a failing enumeration) with a
/// <see cref="MetadataStoreException"/>, logged once.
/// </summary>
public sealed class ErrorRuleTest : IAsyncLifetime
{
    private readonly CountingLoggerFactory _logs = new();
    private readonly NullabilityInfoContext _nullability = new();
    private IMetadataStore _store = null!;

    public async Task InitializeAsync() =>
        _store = await new MetadataStoreBuilder().UseInMemorySqlite().UseLoggerFactory(_logs).OpenAsync();

    public async Task DisposeAsync() => await _store.DisposeAsync();

    public static IEnumerable<MethodInfo> PublicMethods() =>
        typeof(IMetadataStore).GetMethods()
            .Where(m => m.Name is not (nameof(IDisposable.Dispose) or nameof(IAsyncDisposable.DisposeAsync)))
            .Concat(typeof(MetadataStoreExtensions).GetMethods(BindingFlags.Public | BindingFlags.Static));

    [Fact]
    public void Reflection_finds_the_store_methods_and_the_extension_methods()
    {
        var names = PublicMethods().Select(m => m.Name).ToHashSet();

        names.Should().Contain(["PutArtifactsAsync", "ListArtifactsAsync", "GetParentContextsByContextsAsync", "PutLineageSubgraphAsync", "RecordExecutionAsync", "EnumerateExecutionsByContextAsync", "GetArtifactByIdAsync"]);
        PublicMethods().Count().Should().BeGreaterThan(55);
    }

    [Fact]
    public async Task A_null_argument_throws_ArgumentNullException_at_once_from_every_public_method()
    {
        var failures = new List<string>();
        var checkedParameters = 0;
        foreach (var method in PublicMethods())
        {
            var parameters = method.GetParameters();
            for (var i = 0; i < parameters.Length; i++)
            {
                if (parameters[i].ParameterType.IsValueType || IsNullable(parameters[i]))
                {
                    continue;
                }

                checkedParameters++;
                var args = ValidArguments(parameters);
                args[i] = null;
                var (thrown, result) = Invoke(method, args);
                if (thrown is ArgumentNullException ane && ane.ParamName == parameters[i].Name)
                {
                    continue;
                }

                failures.Add($"{Describe(method)} with {parameters[i].Name} = null: {(thrown is null ? "no synchronous exception" : thrown.GetType().Name + " " + (thrown as ArgumentNullException)?.ParamName)}");
                await ObserveAsync(result);
            }
        }

        failures.Should().BeEmpty();
        checkedParameters.Should().BeGreaterThan(60);
    }

    [Fact]
    public async Task A_bad_value_faults_the_returned_task_with_MetadataStoreException_logged_once()
    {
        var failures = new List<string>();
        var cases = 0;
        foreach (var method in PublicMethods())
        {
            var parameters = method.GetParameters();
            for (var i = 0; i < parameters.Length; i++)
            {
                foreach (var bad in BadValues(method, parameters[i]))
                {
                    cases++;
                    var args = ValidArguments(parameters);
                    args[i] = bad;
                    var logged = _logs.RequestFailures;
                    var (thrown, result) = Invoke(method, args);
                    var what = $"{Describe(method)} with {parameters[i].Name} = {Show(bad)}";
                    if (thrown is not null)
                    {
                        failures.Add($"{what}: threw {thrown.GetType().Name} synchronously ({thrown.Message})");
                        continue;
                    }

                    var failure = await FailureOfAsync(result);
                    if (failure is not MetadataStoreException)
                    {
                        failures.Add($"{what}: {(failure is null ? "succeeded" : failure.GetType().Name + ": " + failure.Message)}");
                    }
                    else if (_logs.RequestFailures != logged + 1)
                    {
                        failures.Add($"{what}: logged {_logs.RequestFailures - logged} times");
                    }
                }
            }
        }

        failures.Should().BeEmpty();
        cases.Should().BeGreaterThan(40);
    }

    /// <summary>Values that are not null and are wrong for the parameter, each of which must make the call fail.</summary>
    private static IEnumerable<object?> BadValues(MethodInfo method, ParameterInfo parameter)
    {
        var type = parameter.ParameterType;
        if (type == typeof(NodeListOptions))
        {
            yield return new NodeListOptions { PageSize = 0 };
            yield return new NodeListOptions { PageSize = NodeListOptions.MaxPageSize + 1 };
            yield return new NodeListOptions { Filter = "properties.x.int_value = = 1" };
            yield return new NodeListOptions { Filter = "no_such_field = 1" };
            if (!method.Name.StartsWith("Enumerate", StringComparison.Ordinal))
            {
                // A stream starts from the first page whatever token it is given.
                yield return new NodeListOptions { PageToken = "not a token" };
            }
        }
        else if (type == typeof(string) && parameter.Name == "typeName" && (method.Name.StartsWith("List", StringComparison.Ordinal) || method.Name.StartsWith("Enumerate", StringComparison.Ordinal)))
        {
            yield return string.Empty;
        }
        else if (parameter.Name == "externalIds")
        {
            yield return new[] { string.Empty };
        }
        else if (type.IsGenericType && type.GetGenericTypeDefinition() is var definition
            && (definition == typeof(IReadOnlyList<>) || definition == typeof(IReadOnlyCollection<>))
            && !type.GetGenericArguments()[0].IsValueType)
        {
            yield return Array.CreateInstance(type.GetGenericArguments()[0], 1);
        }
        else if (type == typeof(IReadOnlyDictionary<string, Artifact>))
        {
            yield return new Dictionary<string, Artifact> { ["role"] = null! };
        }
    }

    private object?[] ValidArguments(ParameterInfo[] parameters)
    {
        var args = new object?[parameters.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            args[i] = ValidArgument(parameters[i]);
        }

        return args;
    }

    private object? ValidArgument(ParameterInfo parameter)
    {
        var type = parameter.ParameterType;
        if (type == typeof(IMetadataStore))
        {
            return _store;
        }

        if (parameter.HasDefaultValue)
        {
            return type.IsValueType && parameter.DefaultValue is null ? Activator.CreateInstance(type) : parameter.DefaultValue;
        }

        if (!type.IsValueType && IsNullable(parameter))
        {
            return null;
        }

        if (type == typeof(string))
        {
            return "x";
        }

        if (type == typeof(long))
        {
            return 1L;
        }

        if (type == typeof(Execution))
        {
            return Execution.Of("T");
        }

        if (type == typeof(ArtifactType))
        {
            return new ArtifactType("T");
        }

        if (type == typeof(ExecutionType))
        {
            return new ExecutionType("T");
        }

        if (type == typeof(ContextType))
        {
            return new ContextType("T");
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() is var definition
            && (definition == typeof(IReadOnlyList<>) || definition == typeof(IReadOnlyCollection<>)))
        {
            return Array.CreateInstance(type.GetGenericArguments()[0], 0);
        }

        throw new InvalidOperationException($"No valid value of {type} for parameter {parameter.Name} of {parameter.Member.Name}; teach the test one.");
    }

    private bool IsNullable(ParameterInfo parameter) => _nullability.Create(parameter).WriteState == NullabilityState.Nullable;

    private object? Target(MethodInfo method) => method.IsStatic ? null : _store;

    private (Exception? Thrown, object? Result) Invoke(MethodInfo method, object?[] args)
    {
        try
        {
            return (null, method.Invoke(Target(method), args));
        }
        catch (TargetInvocationException ex)
        {
            return (ex.InnerException, null);
        }
    }

    /// <summary>Awaits a task or reads a stream's first item; the exception that ends it, or null when it succeeds.</summary>
    private static async Task<Exception?> FailureOfAsync(object? result)
    {
        try
        {
            switch (result)
            {
                case Task task:
                    await task;
                    break;
                case not null when result.GetType().GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IAsyncEnumerable<>)) is { } stream:
                    var enumerator = stream.GetMethod(nameof(IAsyncEnumerable<int>.GetAsyncEnumerator))!.Invoke(result, [CancellationToken.None])!;
                    var enumeratorType = typeof(IAsyncEnumerator<>).MakeGenericType(stream.GetGenericArguments());
                    await (ValueTask<bool>)enumeratorType.GetMethod(nameof(IAsyncEnumerator<int>.MoveNextAsync))!.Invoke(enumerator, [])!;
                    await ((IAsyncDisposable)enumerator).DisposeAsync();
                    break;
            }

            return null;
        }
        catch (Exception ex)
        {
            return ex;
        }
    }

    private static Task ObserveAsync(object? result) => FailureOfAsync(result);

    private static string Describe(MethodInfo method) =>
        $"{method.DeclaringType!.Name}.{method.Name}({string.Join(", ", method.GetParameters().Select(p => p.ParameterType.Name))})";

    private static string Show(object? value) => value switch
    {
        null => "null",
        string s => $"\"{s}\"",
        Array a => $"[{a.Length} item(s)]",
        _ => value.ToString() ?? value.GetType().Name,
    };

    /// <summary>Counts the store's failure log entries.</summary>
    private sealed class CountingLoggerFactory : ILoggerFactory, ILogger
    {
        private int _requestFailures;

        public int RequestFailures => Volatile.Read(ref _requestFailures);

        public ILogger CreateLogger(string categoryName) => this;

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public void Dispose()
        {
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id == MetadataStoreEventId.RequestFailed)
            {
                Interlocked.Increment(ref _requestFailures);
            }
        }
    }
}
