using System.Numerics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.ML.Data;

namespace MetadataStore.MLNet;

/// <summary>Statistics of a numeric column; min, max and mean are absent when no value is present.</summary>
internal sealed record ColumnStatistics(long Count, long Missing, double? Min, double? Max, double? Mean);

/// <summary>A column as profiled: name, type, and statistics when the column is a numeric scalar.</summary>
internal sealed record ColumnProfile(string Name, string Type, bool Hashed, ColumnStatistics? Statistics);

/// <summary>What one pass over a data view found.</summary>
internal sealed record DataViewProfile(string ContentHash, long RowCount, IReadOnlyList<ColumnProfile> Columns);

/// <summary>Hashes the schema and rows of a data view and computes column statistics in one cursor pass.</summary>
internal static class DataViewProfiler
{
    public static DataViewProfile Profile(IDataView data, CancellationToken cancellationToken)
    {
        var columns = data.Schema.Where(c => !c.IsHidden).ToList();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        // The schema is part of the content: the same numbers under other names or types are other data.
        foreach (var column in columns)
        {
            AppendText(hash, column.Name);
            AppendText(hash, column.Type.ToString());
        }

        using var cursor = data.GetRowCursor(columns);
        var readers = columns.Select(c => ColumnReader.Create(cursor, c)).ToList();
        long rows = 0;
        while (cursor.MoveNext())
        {
            if ((rows & 0xFFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            foreach (var reader in readers)
            {
                reader.Read(hash);
            }

            rows++;
        }

        var profiles = columns.Select((c, i) => new ColumnProfile(c.Name, c.Type.ToString() ?? c.Type.RawType.Name, readers[i].Hashed, readers[i].Statistics())).ToList();
        return new DataViewProfile(Convert.ToHexStringLower(hash.GetHashAndReset()), rows, profiles);
    }

    private static void AppendText(IncrementalHash hash, ReadOnlySpan<char> text)
    {
        var length = text.Length;
        hash.AppendData(MemoryMarshal.AsBytes(new ReadOnlySpan<int>(ref length)));
        hash.AppendData(MemoryMarshal.AsBytes(text));
    }

    private abstract class ColumnReader
    {
        public virtual bool Hashed => true;

        public abstract void Read(IncrementalHash hash);

        public virtual ColumnStatistics? Statistics() => null;

        public static ColumnReader Create(DataViewRowCursor cursor, DataViewSchema.Column column)
        {
            var type = column.Type;
            var raw = type.RawType;
            if (type is NumberDataViewType)
            {
                return Make(typeof(NumericReader<>), raw, cursor, column);
            }

            if (type is VectorDataViewType vector && IsUnmanaged(vector.ItemType.RawType))
            {
                return Make(typeof(VectorReader<>), vector.ItemType.RawType, cursor, column);
            }

            if (type is TextDataViewType)
            {
                return new TextReader(cursor.GetGetter<ReadOnlyMemory<char>>(column));
            }

            if (type is VectorDataViewType { ItemType: TextDataViewType })
            {
                return new TextVectorReader(cursor.GetGetter<VBuffer<ReadOnlyMemory<char>>>(column));
            }

            // Keys, booleans, dates and times are plain values; hash their bytes.
            if (IsUnmanaged(raw))
            {
                return Make(typeof(ValueReader<>), raw, cursor, column);
            }

            return new SkippedReader();
        }

        private static bool IsUnmanaged(Type type) =>
            type.IsPrimitive || type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(TimeSpan);

        private static ColumnReader Make(Type generic, Type item, DataViewRowCursor cursor, DataViewSchema.Column column)
        {
            var method = typeof(ColumnReader).GetMethod(nameof(Build), BindingFlags.NonPublic | BindingFlags.Static)!;
            return (ColumnReader)method.MakeGenericMethod(item).Invoke(null, [generic.MakeGenericType(item), cursor, column])!;
        }

        private static ColumnReader Build<T>(Type readerType, DataViewRowCursor cursor, DataViewSchema.Column column)
        {
            object getter = readerType.GetGenericTypeDefinition() == typeof(VectorReader<>)
                ? cursor.GetGetter<VBuffer<T>>(column)
                : cursor.GetGetter<T>(column);
            return (ColumnReader)Activator.CreateInstance(readerType, getter)!;
        }
    }

    private sealed class NumericReader<T>(ValueGetter<T> getter) : ColumnReader
        where T : unmanaged, INumberBase<T>
    {
        private T _value;
        private long _count;
        private long _missing;
        private double _min = double.PositiveInfinity;
        private double _max = double.NegativeInfinity;
        private double _sum;

        public override void Read(IncrementalHash hash)
        {
            getter(ref _value);
            hash.AppendData(MemoryMarshal.AsBytes(new ReadOnlySpan<T>(ref _value)));
            if (T.IsNaN(_value))
            {
                _missing++;
                return;
            }

            var x = double.CreateChecked(_value);
            _count++;
            _sum += x;
            _min = Math.Min(_min, x);
            _max = Math.Max(_max, x);
        }

        public override ColumnStatistics Statistics() =>
            _count == 0 ? new(0, _missing, null, null, null) : new(_count, _missing, _min, _max, _sum / _count);
    }

    private sealed class ValueReader<T>(ValueGetter<T> getter) : ColumnReader
        where T : unmanaged
    {
        private T _value;

        public override void Read(IncrementalHash hash)
        {
            getter(ref _value);
            hash.AppendData(MemoryMarshal.AsBytes(new ReadOnlySpan<T>(ref _value)));
        }
    }

    private sealed class VectorReader<T>(ValueGetter<VBuffer<T>> getter) : ColumnReader
        where T : unmanaged
    {
        private VBuffer<T> _value;

        public override void Read(IncrementalHash hash)
        {
            getter(ref _value);
            var length = _value.Length;
            hash.AppendData(MemoryMarshal.AsBytes(new ReadOnlySpan<int>(ref length)));
            foreach (var item in _value.DenseValues())
            {
                var copy = item;
                hash.AppendData(MemoryMarshal.AsBytes(new ReadOnlySpan<T>(ref copy)));
            }
        }
    }

    private sealed class TextReader(ValueGetter<ReadOnlyMemory<char>> getter) : ColumnReader
    {
        private ReadOnlyMemory<char> _value;

        public override void Read(IncrementalHash hash)
        {
            getter(ref _value);
            AppendText(hash, _value.Span);
        }
    }

    private sealed class TextVectorReader(ValueGetter<VBuffer<ReadOnlyMemory<char>>> getter) : ColumnReader
    {
        private VBuffer<ReadOnlyMemory<char>> _value;

        public override void Read(IncrementalHash hash)
        {
            getter(ref _value);
            var length = _value.Length;
            hash.AppendData(MemoryMarshal.AsBytes(new ReadOnlySpan<int>(ref length)));
            foreach (var item in _value.DenseValues())
            {
                AppendText(hash, item.Span);
            }
        }
    }

    // A column of a type with no byte form (images, custom types): named in the schema, left out of the hash.
    private sealed class SkippedReader : ColumnReader
    {
        public override bool Hashed => false;

        public override void Read(IncrementalHash hash)
        {
        }
    }
}
