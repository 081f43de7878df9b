// Blender's output as the worker reads it: bytes cut into lines (LineBuffer, as they arrive from
// the pipe, in pieces the input chooses), each line through the log parser, and the driver's
// reply lines through their parsers. Nothing Blender or a scene's Python prints may crash it.

#include "blender/driver_protocol.h"
#include "blender/log_parser.h"
#include "fuzz_input.h"
#include "util/line_buffer.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace blender = spotfarm::blender;
    if (size == 0) return 0;
    // The first byte picks how the pipe cuts the stream (1 to 256 bytes per read) and a small
    // line limit, so the long-line split is exercised too.
    const std::size_t piece = static_cast<std::size_t>(data[0]) + 1;
    const std::string_view text = spotfarm::fuzz::as_text(data + 1, size - 1);
    spotfarm::util::LineBuffer buffer(piece * 4);
    std::vector<std::string> lines;
    for (std::size_t at = 0; at < text.size(); at += piece)
        buffer.feed(text.substr(at, piece), lines);
    buffer.flush(lines);
    blender::LogParser parser;
    for (const auto& line : lines) {
        spotfarm::fuzz::require(line.size() <= piece * 4, "a line is cut at the limit");
        (void)parser.feed(line);
        (void)blender::parse_ready_reply(line);
        (void)blender::parse_render_reply(line);
    }
    (void)parser.finish();
    return 0;
}
