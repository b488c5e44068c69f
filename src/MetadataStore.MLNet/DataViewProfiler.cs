using System.Numerics;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.ML.Data;

namespace MetadataStore.MLNet;

/// <summary>
/// Statistics of a column. Numbers: count, missing (NaN), and min, max and mean when a value is present. Text: count
/// (non-empty), missing (empty) and the number of distinct values, counted up to a cap.
/// </summary>
internal sealed record ColumnStatistics(long Count, long Missing, double? Min, double? Max, double? Mean, long? Distinct = null, bool DistinctCapped = false);

/// <summary>A column as profiled: name, type, and statistics when the column is a numeric or text scalar.</summary>
internal sealed record ColumnProfile(string Name, string Type, bool Hashed, ColumnStatistics? Statistics);

/// <summary>What one pass over a data view found.</summary>
internal sealed record DataViewProfile(string ContentHash, long RowCount, IReadOnlyList<ColumnProfile> Columns);

/// <summary>Hashes the schema and rows of a data view and computes column statistics in one cursor pass.</summary>
internal static class DataViewProfiler
{
    public static DataViewProfile Profile(IDataView data, int distinctCap, CancellationToken cancellationToken)
    {
        var columns = data.Schema.Where(c => !c.IsHidden).ToList();
        using var hash = new HashWriter();

        // The schema is part of the content: the same numbers under other names or types are other data.
        foreach (var column in columns)
        {
            hash.Write(column.Name);
            hash.Write(column.Type.ToString());
        }

        using var cursor = data.GetRowCursor(columns);
        var readers = columns.Select(c => ColumnReader.Create(cursor, c, distinctCap)).ToArray();
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
        return new DataViewProfile(hash.Finish(), rows, profiles);
    }

    /// <summary>Feeds a SHA-256 through a buffer, so that a value of a few bytes costs a copy, not a hash call.</summary>
    private sealed class HashWriter : IDisposable
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private readonly byte[] _buffer = new byte[1 << 16];
        private int _used;

        public void Write<T>(T value)
            where T : unmanaged
        {
            if (_used + Unsafe.SizeOf<T>() > _buffer.Length)
            {
                Flush();
            }

            MemoryMarshal.Write(_buffer.AsSpan(_used), in value);
            _used += Unsafe.SizeOf<T>();
        }

        public void Write<T>(ReadOnlySpan<T> values)
            where T : unmanaged
        {
            var bytes = MemoryMarshal.AsBytes(values);
            if (_used + bytes.Length > _buffer.Length)
            {
                Flush();
                if (bytes.Length > _buffer.Length)
                {
                    _hash.AppendData(bytes);
                    return;
                }
            }

            bytes.CopyTo(_buffer.AsSpan(_used));
            _used += bytes.Length;
        }

        public void Write(ReadOnlySpan<char> text)
        {
            Write(text.Length);
            Write<char>(text);
        }

        public string Finish()
        {
            Flush();
            return Convert.ToHexStringLower(_hash.GetHashAndReset());
        }

        public void Dispose() => _hash.Dispose();

        private void Flush()
        {
            _hash.AppendData(_buffer, 0, _used);
            _used = 0;
        }
    }

    private abstract class ColumnReader
    {
        public virtual bool Hashed => true;

        public abstract void Read(HashWriter hash);

        public virtual ColumnStatistics? Statistics() => null;

        public static ColumnReader Create(DataViewRowCursor cursor, DataViewSchema.Column column, int distinctCap)
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
                return new TextReader(cursor.GetGetter<ReadOnlyMemory<char>>(column), distinctCap);
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

        public override void Read(HashWriter hash)
        {
            getter(ref _value);
            hash.Write(_value);
            if (T.IsNaN(_value))
            {
                _missing++;
                return;
            }

            var x = double.CreateTruncating(_value);
            _count++;
            _sum += x;
            if (x < _min)
            {
                _min = x;
            }

            if (x > _max)
            {
                _max = x;
            }
        }

        public override ColumnStatistics Statistics() =>
            _count == 0 ? new(0, _missing, null, null, null) : new(_count, _missing, _min, _max, _sum / _count);
    }

    private sealed class ValueReader<T>(ValueGetter<T> getter) : ColumnReader
        where T : unmanaged
    {
        private T _value;

        public override void Read(HashWriter hash)
        {
            getter(ref _value);
            hash.Write(_value);
        }
    }

    private sealed class VectorReader<T>(ValueGetter<VBuffer<T>> getter) : ColumnReader
        where T : unmanaged
    {
        private VBuffer<T> _value;

        public override void Read(HashWriter hash)
        {
            getter(ref _value);
            hash.Write(_value.Length);
            if (_value.IsDense)
            {
                hash.Write(_value.GetValues());
                return;
            }

            // Sparse: the same bytes as its dense form, so the hash does not depend on the representation; the
            // missing slots are default values, written without an enumerator.
            var values = _value.GetValues();
            var indices = _value.GetIndices();
            var next = 0;
            for (var i = 0; i < indices.Length; i++)
            {
                for (; next < indices[i]; next++)
                {
                    hash.Write(default(T));
                }

                hash.Write(values[i]);
                next++;
            }

            for (; next < _value.Length; next++)
            {
                hash.Write(default(T));
            }
        }
    }

    private sealed class TextReader : ColumnReader
    {
        private readonly ValueGetter<ReadOnlyMemory<char>> _getter;
        private readonly int _cap;
        private readonly HashSet<string> _distinct = new(StringComparer.Ordinal);
        private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _lookup;
        private ReadOnlyMemory<char> _value;
        private long _count;
        private long _missing;
        private bool _capped;

        public TextReader(ValueGetter<ReadOnlyMemory<char>> getter, int cap)
        {
            _getter = getter;
            _cap = cap;
            _lookup = _distinct.GetAlternateLookup<ReadOnlySpan<char>>();
        }

        public override void Read(HashWriter hash)
        {
            _getter(ref _value);
            var span = _value.Span;
            hash.Write(span);
            if (span.IsEmpty)
            {
                _missing++;
                return;
            }

            _count++;

            // Looked up as a span: a string is made only for a value not seen before, at most cap times.
            if (!_capped && !_lookup.Contains(span))
            {
                if (_distinct.Count < _cap)
                {
                    _lookup.Add(span);
                }
                else
                {
                    _capped = true;
                }
            }
        }

        public override ColumnStatistics Statistics() => new(_count, _missing, null, null, null, _distinct.Count, _capped);
    }

    private sealed class TextVectorReader(ValueGetter<VBuffer<ReadOnlyMemory<char>>> getter) : ColumnReader
    {
        private VBuffer<ReadOnlyMemory<char>> _value;

        public override void Read(HashWriter hash)
        {
            getter(ref _value);
            hash.Write(_value.Length);
            var values = _value.GetValues();
            if (_value.IsDense)
            {
                foreach (var item in values)
                {
                    hash.Write(item.Span);
                }

                return;
            }

            // Sparse: missing slots are empty text, as in the dense form.
            var indices = _value.GetIndices();
            var next = 0;
            for (var i = 0; i < indices.Length; i++)
            {
                for (; next < indices[i]; next++)
                {
                    hash.Write(ReadOnlySpan<char>.Empty);
                }

                hash.Write(values[i].Span);
                next++;
            }

            for (; next < _value.Length; next++)
            {
                hash.Write(ReadOnlySpan<char>.Empty);
            }
        }
    }

    // A column of a type with no byte form (images, custom types): named in the schema, left out of the hash.
    private sealed class SkippedReader : ColumnReader
    {
        public override bool Hashed => false;

        public override void Read(HashWriter hash)
        {
        }
    }
}
