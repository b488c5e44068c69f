using System.Diagnostics.CodeAnalysis;

namespace MetadataStore.Storage;

/// <summary>
/// A write that a unique or primary key of the database refused: the storage reports which table it was writing,
/// and the semantics layer turns that into MLMD's message. Its code is <see cref="MetadataErrorCode.AlreadyExists"/>.
/// </summary>
[Experimental(Diagnostics.Experiments.StorageSpi)]
public sealed class StorageConstraintException : MetadataStoreException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="table">The MLMD table the refused statement wrote, such as <c>Event</c>.</param>
    /// <param name="message">What the database reported, naming the problem.</param>
    /// <param name="innerException">The provider's exception.</param>
    public StorageConstraintException(string table, string message, Exception? innerException)
        : base(MetadataErrorCode.AlreadyExists, message, innerException)
    {
        Table = table;
    }

    /// <summary>The MLMD table the refused statement wrote, such as <c>Event</c>.</summary>
    public string Table { get; }

    /// <summary>The index of the refused row when the statement wrote several (see <see cref="IStorageTransaction.InsertNodesAsync"/>).</summary>
    public int? Row { get; init; }

    /// <summary>
    /// The record whose write was refused (such as an <see cref="EventRecord"/>), when the backend sent the write with a
    /// later statement and the refusal therefore reached a later call or the commit; otherwise null.
    /// </summary>
    public object? Record { get; init; }
}
