using System.Text;

namespace MetadataStore;

/// <summary>What <see cref="MetadataStoreExtensions.RecordExecutionAsync"/> stored, read back with ids and times.</summary>
/// <param name="Execution">The execution.</param>
/// <param name="Inputs">The input artifacts by role.</param>
/// <param name="Outputs">The output artifacts by role.</param>
/// <param name="Context">The context the execution and artifacts were put in, or <see langword="null"/>.</param>
public sealed record RecordedExecution(
    Execution Execution,
    IReadOnlyDictionary<string, Artifact> Inputs,
    IReadOnlyDictionary<string, Artifact> Outputs,
    Context? Context)
{
    /// <inheritdoc />
    public bool Equals(RecordedExecution? other) =>
        ReferenceEquals(this, other)
        || (other is not null
            && EqualityComparer<Execution>.Default.Equals(Execution, other.Execution)
            && ContentEquality.MapEquals(Inputs, other.Inputs)
            && ContentEquality.MapEquals(Outputs, other.Outputs)
            && EqualityComparer<Context?>.Default.Equals(Context, other.Context));

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Execution, ContentEquality.MapHash(Inputs), ContentEquality.MapHash(Outputs), Context);

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Execution = ").Append(Execution);
        builder.Append(", ");
        builder.Append("Inputs = ");
        ContentEquality.PrintMap(builder, Inputs);
        builder.Append(", ");
        builder.Append("Outputs = ");
        ContentEquality.PrintMap(builder, Outputs);
        builder.Append(", ");
        builder.Append("Context = ").Append(Context);
        return true;
    }
}
