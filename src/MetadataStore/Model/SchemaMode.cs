namespace MetadataStore;

/// <summary>What opening a store may do to the database's schema.</summary>
public enum SchemaMode
{
    /// <summary>Create the schema in an empty database; verify it otherwise. An older MLMD schema is refused.</summary>
    CreateOrVerify = 0,
    /// <summary>As <see cref="CreateOrVerify"/>, and upgrade an older MLMD schema in place.</summary>
    CreateOrUpgrade = 1,
    /// <summary>Verify only: never write to the database while opening.</summary>
    VerifyOnly = 2,
}
