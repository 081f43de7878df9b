# Figures as the panel shows them. Plain Python (no bpy).


def duration(seconds):
    """'0.34 s', '4.2 s', '42 s', '5 min 29 s', '2 h 05 min'."""
    if seconds < 10:
        return "%.2g s" % max(0.0, seconds) if seconds < 1 else "%.1f s" % seconds
    seconds = int(round(seconds))
    if seconds < 60:
        return "%d s" % seconds
    if seconds < 3600:
        return "%d min %02d s" % (seconds // 60, seconds % 60)
    return "%d h %02d min" % (seconds // 3600, seconds % 3600 // 60)


def dollars(usd):
    return "$%.2f" % usd


def estimate_lines(answer, instances):
    """The estimate's total time, its interval and the cost on `instances` instances."""
    total = answer.get("render_seconds_total", 0.0)
    low = answer.get("render_seconds_low", total)
    high = answer.get("render_seconds_high", total)
    confidence = int(round(100 * answer.get("confidence", 0.9)))
    lines = [
        "Render time %s on this machine (%d %% interval %s - %s)"
        % (duration(total), confidence, duration(low), duration(high)),
        "%d frames, %d sampled" % (answer.get("frames", 0), len(answer.get("samples", []))),
    ]
    fleets = [f for f in answer.get("fleets", []) if f.get("workers") == instances]
    if fleets:
        f = fleets[0]
        lines.append(
            "On %d x %s: %s, %s (%s - %s)"
            % (
                instances,
                answer.get("instance_type", "instance"),
                duration(f.get("wall_seconds", 0.0)),
                dollars(f.get("cost_usd", 0.0)),
                dollars(f.get("cost_usd_low", 0.0)),
                dollars(f.get("cost_usd_high", 0.0)),
            )
        )
    if answer.get("price_source"):
        lines.append("Prices: " + answer["price_source"])
    return lines


def job_eta(created_ms, now_ms, done, total):
    """Seconds left at the pace so far; None before the first frame is done."""
    if done <= 0 or done >= total or now_ms <= created_ms:
        return None
    return (now_ms - created_ms) / 1000.0 / done * (total - done)
