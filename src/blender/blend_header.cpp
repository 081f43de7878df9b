#include "blender/blend_header.h"

#include <array>
#include <cctype>
#include <fstream>
#include <memory>

#include <zlib.h>
#include <zstd.h>

namespace spotfarm::blender {
namespace {

constexpr std::string_view k_magic = "BLENDER";
// Enough of a decompressed stream for either header.
constexpr std::size_t k_header_bytes = 17;
// Compressed bytes read from the file: a zstd frame or a gzip member yields its first bytes
// long before this.
constexpr std::size_t k_compressed_prefix = 64 << 10;

bool digits(std::string_view text) {
    if (text.empty()) return false;
    for (char c : text) {
        if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    }
    return true;
}

util::Error not_a_blend(std::string_view why) {
    return util::make_error("not a .blend file: " + std::string(why), util::ErrorKind::invalid);
}

struct ZstdFree {
    void operator()(ZSTD_DCtx* ctx) const { ZSTD_freeDCtx(ctx); }
};

util::Result<std::string> zstd_start(std::string_view compressed) {
    std::unique_ptr<ZSTD_DCtx, ZstdFree> ctx(ZSTD_createDCtx());
    if (!ctx) return util::make_error("cannot set up zstd decompression (out of memory?)");
    std::array<char, 256> out_bytes{};
    ZSTD_inBuffer in{compressed.data(), compressed.size(), 0};
    ZSTD_outBuffer out{out_bytes.data(), out_bytes.size(), 0};
    while (out.pos < k_header_bytes && in.pos < in.size) {
        std::size_t result = ZSTD_decompressStream(ctx.get(), &out, &in);
        if (ZSTD_isError(result)) {
            return not_a_blend(std::string("its zstd stream is broken (") +
                               ZSTD_getErrorName(result) + ")");
        }
        if (result == 0) break;  // the frame ended
    }
    return std::string(out_bytes.data(), out.pos);
}

util::Result<std::string> gzip_start(std::string_view compressed) {
    z_stream stream{};
    if (inflateInit2(&stream, 15 + 16) != Z_OK) {
        return util::make_error("cannot set up gzip decompression (out of memory?)");
    }
    std::array<char, 256> out_bytes{};
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
    stream.avail_in = static_cast<uInt>(compressed.size());
    stream.next_out = reinterpret_cast<Bytef*>(out_bytes.data());
    stream.avail_out = static_cast<uInt>(out_bytes.size());
    int result = Z_OK;
    while (result == Z_OK && out_bytes.size() - stream.avail_out < k_header_bytes &&
           stream.avail_in > 0) {
        result = inflate(&stream, Z_NO_FLUSH);
    }
    std::size_t produced = out_bytes.size() - stream.avail_out;
    inflateEnd(&stream);
    if (result != Z_OK && result != Z_STREAM_END && result != Z_BUF_ERROR) {
        return not_a_blend("its gzip stream is broken");
    }
    return std::string(out_bytes.data(), produced);
}

}  // namespace

util::Result<BlendFileVersion> parse_blend_header(std::string_view bytes) {
    if (!bytes.starts_with(k_magic)) return not_a_blend("it does not begin with BLENDER");
    BlendFileVersion version{.compression = "none"};
    std::string_view rest = bytes.substr(k_magic.size());
    if (rest.size() >= 5 && (rest[0] == '-' || rest[0] == '_') &&
        (rest[1] == 'v' || rest[1] == 'V') && digits(rest.substr(2, 3))) {
        // "-v304": one digit of major version, two of minor.
        version.major = rest[2] - '0';
        version.minor = (rest[3] - '0') * 10 + (rest[4] - '0');
        return version;
    }
    // "17-01v0500": header size, '-', format version, byte order, four digits of version.
    if (rest.size() >= 10 && digits(rest.substr(0, 2)) && rest[2] == '-' &&
        digits(rest.substr(3, 2)) && (rest[5] == 'v' || rest[5] == 'V') &&
        digits(rest.substr(6, 4))) {
        int number = std::stoi(std::string(rest.substr(6, 4)));
        version.major = number / 100;
        version.minor = number % 100;
        return version;
    }
    return not_a_blend("its header '" + std::string(bytes.substr(0, k_header_bytes)) +
                       "' is of no Blender version spotfarm knows");
}

util::Result<BlendFileVersion> read_blend_version(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return util::make_error("cannot read " + path.string() + " (does it exist?)",
                                util::ErrorKind::not_found);
    }
    std::string start(k_compressed_prefix, '\0');
    in.read(start.data(), static_cast<std::streamsize>(start.size()));
    start.resize(static_cast<std::size_t>(in.gcount()));

    auto with_path = [&](util::Result<BlendFileVersion> result, std::string compression) {
        if (!result) {
            return util::Result<BlendFileVersion>(util::make_error(
                path.string() + " is " + result.error().message, result.error().kind));
        }
        result->compression = std::move(compression);
        return result;
    };
    auto decompressed = [&](util::Result<std::string> head, std::string compression) {
        if (!head) return with_path(head.error(), compression);
        return with_path(parse_blend_header(*head), std::move(compression));
    };
    if (start.starts_with("\x28\xb5\x2f\xfd")) return decompressed(zstd_start(start), "zstd");
    if (start.starts_with("\x1f\x8b")) return decompressed(gzip_start(start), "gzip");
    return with_path(parse_blend_header(start), "none");
}

}  // namespace spotfarm::blender
