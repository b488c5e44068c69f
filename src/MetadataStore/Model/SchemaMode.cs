namespace MetadataStore;

/// <summary>What opening a store may do to the database's schema.</summary>
public enum SchemaMode
{
    /// <summary>Create the schema in an empty database; verify it otherwise. An older MLMD schema is refused.</summary>
    CreateOrVerify = 0,
    /// <summary>
    /// As <see cref="CreateOrVerify"/>, and upgrade an older MLMD schema (6 to 9, written by MLMD 0.25 to 1.10) in place to
    /// version 10, in one transaction. Afterwards only MLMD 1.11 and later can open the database.
    /// </summary>
    CreateOrUpgrade = 1,
    /// <summary>Verify only: never write to the database while opening.</summary>
    VerifyOnly = 2,
}
