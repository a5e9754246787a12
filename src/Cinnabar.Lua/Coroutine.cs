namespace Cinnabar.Lua;

/// <summary>
/// A Lua coroutine. The interpreter walks a tree on the .NET stack, so each coroutine body runs on its own
/// thread and control passes back and forth by semaphores: only one side ever runs at a time.
/// </summary>
public sealed class Coroutine
{
    enum State { Suspended, Running, Normal, Dead }

    readonly LuaState _state;
    readonly LuaValue _fn;
    readonly CallContext _cx;
    State _status = State.Suspended;
    Thread? _thread;
    readonly SemaphoreSlim _toCoroutine = new(0), _toResumer = new(0);
    LuaValue[] _transfer = [];
    LuaException? _error;
    bool _abandon;

    internal Coroutine(LuaState state, LuaValue fn)
    {
        _state = state;
        _fn = fn;
        _cx = new CallContext(state) { Coroutine = this };
    }

    internal string StatusFor(CallContext cx) => _status switch
    {
        State.Suspended => "suspended",
        State.Running => ReferenceEquals(cx.Coroutine, this) ? "running" : "normal",
        State.Normal => "normal",
        _ => "dead",
    };

    internal (bool, LuaValue[]) Resume(CallContext caller, ReadOnlySpan<LuaValue> args)
    {
        if (_status == State.Dead) return (false, [LuaValue.String("cannot resume dead coroutine")]);
        if (_status != State.Suspended) return (false, [LuaValue.String("cannot resume non-suspended coroutine")]);
        _transfer = args.ToArray();
        _status = State.Running;
        if (caller.Coroutine is { } outer) outer._status = State.Normal;
        if (_thread is null)
        {
            _state.TrackCoroutine(this);
            _thread = new Thread(Body, 16 * 1024 * 1024) { IsBackground = true, Name = "lua-coroutine" };
            _thread.Start();
        }
        else _toCoroutine.Release();
        _toResumer.Wait();
        if (caller.Coroutine is { } outer2) outer2._status = State.Running;
        if (_error is { } e)
        {
            _status = State.Dead;
            _error = null;
            if (e.Uncatchable) throw new LuaException(e.Value) { Uncatchable = true };
            return (false, [e.Value]);
        }
        return (true, _transfer);
    }

    internal LuaValue[] Yield(LuaValue[] values)
    {
        _transfer = values;
        _status = State.Suspended;
        _toResumer.Release();
        _toCoroutine.Wait();
        if (_abandon) throw new AbandonedException();
        return _transfer;
    }

    sealed class AbandonedException : Exception { }

    void Body()
    {
        try
        {
            int n = _cx.Call(_fn, _transfer);
            _transfer = _cx.Results(n).ToArray();
        }
        catch (LuaException e) { _error = e; }
        catch (AbandonedException) { return; }
        catch (InsufficientExecutionStackException) { _error = new LuaException("stack overflow"); }
        catch (Exception e) { _error = new LuaException("internal error: " + e.GetType().Name) { Uncatchable = true }; }
        _status = State.Dead;
        _toResumer.Release();
    }

    /// <summary>Lets a suspended coroutine's thread end (the state is being discarded).</summary>
    internal void Abandon()
    {
        if (_status != State.Suspended || _thread is null) return;
        _abandon = true;
        _status = State.Dead;
        _toCoroutine.Release();
    }
}
