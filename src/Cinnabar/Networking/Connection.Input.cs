using System.Buffers;
using Cinnabar.Commands;
using Cinnabar.Protocol;

namespace Cinnabar.Networking;

/// <summary>
/// The input side of a connection: received bytes are parsed into a queue of commands by the connection's own
/// loop without the store lock, and only their execution takes it. The queue holds commands whose argument
/// offsets point into the input buffer; [<c>_start</c>, <c>_parsedEnd</c>) are parsed but not yet run (a
/// pipeline behind a blocking command, or held by CLIENT PAUSE), and the slot at <c>_tail</c> is where the next
/// command is parsed (resumed across reads by <see cref="ParseProgress"/>, so a command received in many pieces
/// is examined once). <c>_inputLock</c> guards the queue and buffer between the receive loop and an executor
/// on another thread (a client unblocked by someone else's push runs its pipeline there); lock order is always
/// the store lock first.
/// </summary>
public sealed partial class Connection
{
    private readonly object _inputLock = new();
    private const int ShrinkAbove = 256 * 1024;
    private CommandArgs[] _slots = [new CommandArgs(), new CommandArgs()];
    private int[] _slotBytes = new int[2];
    private bool[] _slotIsCommand = new bool[2];
    private int _head;
    private int _tail;
    private int _parsedEnd;
    private string? _protocolError;

    /// <summary>
    /// Parses every complete command received so far into the queue (caller holds <c>_inputLock</c>). Until the
    /// client is authenticated only one command is queued at a time: AUTH changes what the parser accepts.
    /// Returns true when there is something for the executor: a command or a protocol error.
    /// </summary>
    private bool ParseAvailable()
    {
        var server = _server;
        while (_protocolError == null && _parsedEnd < _end)
        {
            bool authed = Client.Authenticated || !server.RequiresAuth(Client);
            if (!authed && _tail > _head) break;
            var result = RespParser.TryParse(_input, _parsedEnd, _end, _slots[_tail], authed, server.Config.ProtoMaxBulkLen,
                ref _progress, out int consumed, out long needed, out string? error);
            if (result == ParseResult.Incomplete)
            {
                _needed = needed;
                break;
            }
            _needed = 0;
            if (result == ParseResult.Error)
            {
                _protocolError = error;
                break;
            }
            _slotBytes[_tail] = consumed;
            _slotIsCommand[_tail] = result == ParseResult.Command;
            _parsedEnd += consumed;
            if (++_tail == _slots.Length) GrowSlots();
        }
        return _tail > _head || _protocolError != null;
    }

    /// <summary>Commands parsed and waiting to run (tests observe parsing done while the store lock is held elsewhere).</summary>
    public int QueuedCommands
    {
        get { lock (_inputLock) return _tail - _head; }
    }

    private void GrowSlots()
    {
        int n = _slots.Length * 2;
        Array.Resize(ref _slots, n);
        for (int i = n / 2; i < n; i++) _slots[i] = new CommandArgs();
        Array.Resize(ref _slotBytes, n);
        Array.Resize(ref _slotIsCommand, n);
    }

    /// <summary>The queue is empty: the slot being parsed into (maybe holding a partial command) moves to the front.</summary>
    private void RecycleSlots()
    {
        if (_head == 0) return;
        (_slots[0], _slots[_tail]) = (_slots[_tail], _slots[0]);
        _head = _tail = 0;
    }

    /// <summary>Drops the command at the head of the queue once run (or answered while busy).</summary>
    private void ConsumeHead()
    {
        _start += _slotBytes[_head];
        _head++;
    }

    /// <summary>
    /// Runs the queued commands with the store lock held, parsing more if bytes remain unparsed (an
    /// unauthenticated client's next command, or what a blocked client pipelined meanwhile). Stops at a command
    /// that blocks, a pause, or a close. Only the owner loop (<paramref name="compact"/>) may reset the buffer,
    /// since a receive into it may be in flight. Returns true when the connection must close.
    /// </summary>
    internal bool ProcessPendingInput(bool compact)
    {
        var server = _server;
        var ctx = Context;
        bool close = false;
        lock (_inputLock)
        {
            server.UpdateClock();
            Client.LastInteractionMs = server.NowMs;
            server.CallClock.BeginBatch(ctx);
            while (Client.Blocked == null && !Client.CloseAfterReply && !Client.KillRequested)
            {
                if (_head == _tail && !ParseAvailable()) break;
                if (_head == _tail)
                {
                    server.Stats.CountError("ERR");
                    Writer.WriteError("ERR Protocol error: " + _protocolError);
                    Client.CloseAfterReply = true;
                    close = true;
                    break;
                }
                if (_slotIsCommand[_head])
                {
                    ctx.Args = _slots[_head];
                    bool ran = ExecuteOne(ctx);
                    ctx.Args = _ownArgs;
                    if (ran && CheckOutputLimit())
                    {
                        ConsumeHead();
                        break;
                    }
                    if (!ran)
                    {
                        // CLIENT PAUSE holds this command: it stays queued and runs when the pause ends.
                        ResumeAfterPause();
                        break;
                    }
                }
                ConsumeHead();
            }
            server.CallClock.EndBatch();
            if (_head == _tail) RecycleSlots();
            if (compact) ReleaseInputIfIdle();
            Client.QueryBufferLength = _end - _start;
        }
        return close;
    }

    /// <summary>
    /// The free end of the input buffer, for the transport's next read (called by the thread making it, while
    /// the owner loop waits for that read). An idle connection has no buffer: one is rented here.
    /// </summary>
    Memory<byte> IReceiveTarget.ReceiveMemory()
    {
        if (_input.Length == 0)
        {
            lock (_inputLock) _input = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
        }
        if (_end == _input.Length || _needed > _input.Length) MakeRoom();
        return _input.AsMemory(_end);
    }

    /// <summary>An idle connection keeps no input buffer, even when a read it was rented for found nothing.</summary>
    void IReceiveTarget.ReceivedNothing()
    {
        lock (_inputLock) ReleaseInputIfIdle();
    }

    /// <summary>With every byte consumed and nothing queued (input lock held): starts over and gives the buffer back.</summary>
    private void ReleaseInputIfIdle()
    {
        if (_start != _end || _head != _tail) return;
        _start = _end = _parsedEnd = 0;
        _needed = 0;
        ReleaseInput();
    }

    /// <summary>
    /// With the buffer empty and nothing queued: gives it back, as Redis frees idle query buffers, so an idle
    /// connection costs no input buffer. One of the usual size goes back to the pool; one grown for a large
    /// argument is left to the collector, so memory returns after it.
    /// </summary>
    private void ReleaseInput()
    {
        var input = _input;
        if (input.Length == 0) return;
        _input = [];
        // The slots of commands already run still name the array, but are never read again: a parse starts by
        // pointing its slot at the current buffer.
        if (input.Length == InitialBufferSize) ArrayPool<byte>.Shared.Return(input);
    }

    /// <summary>
    /// Keeps the unrun bytes at the front and grows the buffer for a large argument; queued commands and the
    /// partial one move with their bytes.
    /// </summary>
    private void MakeRoom()
    {
        lock (_inputLock)
        {
            int pending = _end - _start;
            long neededFromStart = _needed > 0 ? _needed - _start : 0;
            long want = Math.Max(neededFromStart, pending + 1);
            byte[] target = _input;
            if (want > _input.Length)
            {
                // A big bulk gets a buffer of exactly its size, so a 512 MB value is copied once, not doubled repeatedly.
                long size = neededFromStart > _input.Length ? neededFromStart : Math.Max(want, (long)_input.Length * 2);
                target = new byte[Math.Min(size, Array.MaxLength)];
            }
            if (_start > 0 || target != _input) Buffer.BlockCopy(_input, _start, target, 0, pending);
            int delta = -_start;
            for (int i = _head; i < _tail; i++) _slots[i].Rebase(target, delta);
            if (_needed > 0) _needed += delta;
            _parsedEnd += delta;
            _start = 0;
            _end = pending;
            _input = target;
        }
    }

    /// <summary>
    /// A cheap look for EVAL*/FCALL* and MIGRATE among the queued commands: such a command may hold the store lock
    /// for long (MIGRATE waits on its target's network replies), so it must not run on an I/O thread that serves
    /// other connections (they would get no -BUSY, and a target in the same process might need that thread to
    /// answer). A script known to be bounded (<see cref="Scripting.QuickScripts"/>) runs in place like any command.
    /// </summary>
    private bool QueueMayHoldLockLong()
    {
        var quick = _server.Scripting.Quick;
        lock (_inputLock)
        {
            for (int i = _head; i < _tail; i++)
            {
                if (!_slotIsCommand[i]) continue;
                var args = _slots[i];
                var name = args[0];
                // Most commands are ruled out by their first letter.
                if (name.Length == 0 || (name[0] | 0x20) is not ('m' or 'f' or 'e')) continue;
                if (System.Text.Ascii.EqualsIgnoreCase(name, "MIGRATE"u8)) return true;
                if (name.Length >= 5 && System.Text.Ascii.EqualsIgnoreCase(name[..5], "FCALL"u8)) return true;
                if (name.Length < 4 || !System.Text.Ascii.EqualsIgnoreCase(name[..4], "EVAL"u8)) continue;
                if (args.Count < 2) return true;
                bool bySha = name.Length >= 7 && System.Text.Ascii.EqualsIgnoreCase(name[..7], "EVALSHA"u8);
                if (!(bySha ? quick.ContainsHex(args[1]) : quick.ContainsBody(args[1]))) return true;
            }
            return false;
        }
    }
}
