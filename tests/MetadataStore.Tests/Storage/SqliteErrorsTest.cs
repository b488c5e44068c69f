using FluentAssertions;
using MetadataStore.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Xunit;

namespace MetadataStore.Tests.Storage;

/// <summary>SQLite's result codes map onto error codes by number, with the path and what to do in the message.</summary>
public sealed class SqliteErrorsTest
{
    private const string Path = "/data/store.db";

    [Theory]
    [InlineData(11, 11, MetadataErrorCode.DataLoss, false)] // SQLITE_CORRUPT
    [InlineData(11, 779, MetadataErrorCode.DataLoss, false)] // SQLITE_CORRUPT_INDEX
    [InlineData(26, 26, MetadataErrorCode.DataLoss, false)] // SQLITE_NOTADB
    [InlineData(10, 522, MetadataErrorCode.DataLoss, false)] // SQLITE_IOERR_SHORT_READ
    [InlineData(10, 8458, MetadataErrorCode.DataLoss, false)] // SQLITE_IOERR_CORRUPTFS
    [InlineData(8, 8, MetadataErrorCode.FailedPrecondition, false)] // SQLITE_READONLY
    [InlineData(8, 1288, MetadataErrorCode.FailedPrecondition, false)] // SQLITE_READONLY_CANTINIT
    [InlineData(3, 3, MetadataErrorCode.FailedPrecondition, false)] // SQLITE_PERM
    [InlineData(23, 23, MetadataErrorCode.FailedPrecondition, false)] // SQLITE_AUTH
    [InlineData(13, 13, MetadataErrorCode.Unavailable, false)] // SQLITE_FULL
    [InlineData(10, 778, MetadataErrorCode.Unavailable, true)] // SQLITE_IOERR_WRITE
    [InlineData(5, 5, MetadataErrorCode.Aborted, true)] // SQLITE_BUSY
    [InlineData(6, 6, MetadataErrorCode.Aborted, true)] // SQLITE_LOCKED
    [InlineData(17, 17, MetadataErrorCode.Aborted, true)] // SQLITE_SCHEMA
    [InlineData(19, 2067, MetadataErrorCode.AlreadyExists, false)] // SQLITE_CONSTRAINT_UNIQUE
    [InlineData(19, 1555, MetadataErrorCode.AlreadyExists, false)] // SQLITE_CONSTRAINT_PRIMARYKEY
    [InlineData(19, 787, MetadataErrorCode.Internal, false)] // SQLITE_CONSTRAINT_FOREIGNKEY
    [InlineData(18, 18, MetadataErrorCode.InvalidArgument, false)] // SQLITE_TOOBIG
    [InlineData(1, 1, MetadataErrorCode.Internal, false)] // SQLITE_ERROR
    public void Translate_maps_result_code(int code, int extendedCode, MetadataErrorCode expected, bool transient)
    {
        var error = SqliteErrors.Translate(new SqliteException("SQLite Error: 'whatever the text says'.", code, extendedCode), Path);

        error.ErrorCode.Should().Be(expected);
        error.IsTransient.Should().Be(transient);
        error.InnerException.Should().BeOfType<SqliteException>();
        if (expected is not MetadataErrorCode.AlreadyExists and not MetadataErrorCode.InvalidArgument)
        {
            error.Message.Should().Contain(Path);
        }
    }

    [Fact]
    public void Translate_reads_the_code_not_the_message()
    {
        var error = SqliteErrors.Translate(new SqliteException("SQLite Error 14: 'database disk image is malformed'.", 13, 13), Path);

        error.ErrorCode.Should().Be(MetadataErrorCode.Unavailable);
        error.Message.Should().Contain("disk is full");
    }

    [Fact]
    public void Translate_tells_a_missing_folder_a_missing_file_a_folder_and_a_permission_problem_apart_when_cannot_open()
    {
        var folder = Directory.CreateTempSubdirectory("metadatastore-errors-").FullName;
        try
        {
            var existing = System.IO.Path.Combine(folder, "store.db");
            File.WriteAllBytes(existing, []);
            var cantOpen = new SqliteException("SQLite Error 14: 'unable to open database file'.", 14, 14);

            var missingFolder = SqliteErrors.Translate(cantOpen, System.IO.Path.Combine(folder, "absent", "store.db"));
            var missingFile = SqliteErrors.Translate(cantOpen, System.IO.Path.Combine(folder, "absent.db"));
            var isFolder = SqliteErrors.Translate(cantOpen, folder);
            var denied = SqliteErrors.Translate(cantOpen, existing);

            missingFolder.ErrorCode.Should().Be(MetadataErrorCode.Unavailable);
            missingFolder.IsTransient.Should().BeFalse();
            missingFolder.Message.Should().Contain(System.IO.Path.Combine(folder, "absent")).And.Contain("create the folder");
            missingFile.ErrorCode.Should().Be(MetadataErrorCode.Unavailable);
            missingFile.IsTransient.Should().BeFalse();
            missingFile.Message.Should().Contain("does not exist").And.Contain("ReadWriteCreate");
            isFolder.ErrorCode.Should().Be(MetadataErrorCode.FailedPrecondition);
            isFolder.Message.Should().Contain("folder, not a file");
            denied.ErrorCode.Should().Be(MetadataErrorCode.FailedPrecondition);
            denied.Message.Should().Contain("access");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData(MetadataErrorCode.Aborted, true)]
    [InlineData(MetadataErrorCode.Unavailable, false)]
    [InlineData(MetadataErrorCode.DataLoss, false)]
    [InlineData(MetadataErrorCode.FailedPrecondition, false)]
    public void IsTransient_is_true_by_default_only_for_Aborted(MetadataErrorCode code, bool transient)
    {
        new MetadataStoreException(code, "m").IsTransient.Should().Be(transient);
    }
}
