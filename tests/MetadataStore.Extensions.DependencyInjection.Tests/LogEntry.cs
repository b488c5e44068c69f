using Microsoft.Extensions.Logging;

namespace MetadataStore.Extensions.DependencyInjection.Tests;

public sealed record LogEntry(string Category, LogLevel Level, int EventId, string Message);
