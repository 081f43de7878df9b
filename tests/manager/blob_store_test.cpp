#include "manager/blob_store.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include "manager/disk_full.h"
#include "store/test_dir.h"
#include "util/file_hash.h"

namespace spotfarm::manager {
namespace {

using Status = AppendOutcome::Status;

std::string sha256(std::string_view bytes) {
    util::Sha256 digest;
    digest.update(bytes);
    return digest.hex_digest();
}

std::string bytes_of(std::size_t size, char seed) {
    std::string bytes(size, '\0');
    for (std::size_t i = 0; i < size; ++i) bytes[i] = static_cast<char>(seed + i * 7 + i / 251);
    return bytes;
}

std::string read_all(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class BlobStoreTest : public ::testing::Test {
protected:
    std::unique_ptr<BlobStore> open(BlobWriter writer = {}) {
        auto store = BlobStore::open(dir.path() / "blobs", std::move(writer));
        EXPECT_TRUE(store) << store.error().message;
        return store ? std::move(store).value() : nullptr;
    }

    store::TestDir dir;
};

TEST_F(BlobStoreTest, ChunksResumeAtTheOffsetAndCompleteUnderTheHash) {
    auto store = open();
    const std::string data = bytes_of(10'000, 'a');
    const std::string hash = sha256(data);
    EXPECT_FALSE(store->has(hash));

    auto first = store->append(hash, 0, 10'000, std::string_view(data).substr(0, 4000));
    ASSERT_TRUE(first) << first.error().message;
    EXPECT_EQ(first->status, Status::accepted);
    EXPECT_EQ(first->received, 4000);
    EXPECT_FALSE(first->complete);

    auto missing = store->missing({hash, hash});
    ASSERT_EQ(missing.missing, std::vector<std::string>{hash});
    EXPECT_EQ(missing.partial.at(hash), 4000);

    auto last = store->append(hash, 4000, 10'000, std::string_view(data).substr(4000));
    ASSERT_TRUE(last) << last.error().message;
    EXPECT_EQ(last->received, 10'000);
    EXPECT_TRUE(last->complete);
    EXPECT_TRUE(store->has(hash));
    EXPECT_EQ(store->path_of(hash), dir.path() / "blobs" / hash.substr(0, 2) / hash);
    EXPECT_EQ(read_all(store->path_of(hash)), data);
    EXPECT_FALSE(std::filesystem::exists(store->partial_path_of(hash)));
    EXPECT_TRUE(store->missing({hash}).missing.empty());

    // Sent again after it completed: complete at once, nothing changes.
    auto again = store->append(hash, 0, 10'000, data);
    ASSERT_TRUE(again);
    EXPECT_TRUE(again->complete);
    EXPECT_EQ(read_all(store->path_of(hash)), data);
}

TEST_F(BlobStoreTest, AWrongOffsetWritesNothingAndTellsWhereToResume) {
    auto store = open();
    const std::string data = bytes_of(3000, 'q');
    const std::string hash = sha256(data);
    ASSERT_TRUE(store->append(hash, 0, 3000, std::string_view(data).substr(0, 1000)));

    for (std::int64_t offset : {0, 500, 2000}) {
        auto wrong = store->append(hash, offset, 3000, std::string_view(data).substr(1000, 10));
        ASSERT_TRUE(wrong);
        EXPECT_EQ(wrong->status, Status::offset_mismatch) << offset;
        EXPECT_EQ(wrong->received, 1000);
    }
    EXPECT_EQ(std::filesystem::file_size(store->partial_path_of(hash)), 1000u);

    auto past = store->append(hash, 1000, 3000, bytes_of(2001, 'x'));
    ASSERT_FALSE(past);
    EXPECT_EQ(past.error().kind, util::ErrorKind::invalid);

    auto rest = store->append(hash, 1000, 3000, std::string_view(data).substr(1000));
    ASSERT_TRUE(rest);
    EXPECT_TRUE(rest->complete);
}

TEST_F(BlobStoreTest, BytesThatDoNotMatchTheHashAreDropped) {
    auto store = open();
    const std::string data = bytes_of(2000, 'm');
    const std::string hash = sha256(data);
    std::string corrupt = data;
    corrupt[1500] ^= 1;
    ASSERT_TRUE(store->append(hash, 0, 2000, std::string_view(corrupt).substr(0, 1000)));
    auto end = store->append(hash, 1000, 2000, std::string_view(corrupt).substr(1000));
    ASSERT_TRUE(end) << end.error().message;
    EXPECT_EQ(end->status, Status::hash_mismatch);
    EXPECT_FALSE(store->has(hash));
    EXPECT_FALSE(std::filesystem::exists(store->partial_path_of(hash)));
    EXPECT_TRUE(store->missing({hash}).partial.empty());

    // The upload starts over and succeeds with the right bytes.
    auto whole = store->append(hash, 0, 2000, data);
    ASSERT_TRUE(whole);
    EXPECT_TRUE(whole->complete);
}

TEST_F(BlobStoreTest, APartialLeftByAnEarlierManagerResumes) {
    const std::string data = bytes_of(5000, 'r');
    const std::string hash = sha256(data);
    {
        auto store = open();
        ASSERT_TRUE(store->append(hash, 0, 5000, std::string_view(data).substr(0, 3000)));
    }
    auto store = open();  // a new manager: no digest in memory
    EXPECT_EQ(store->missing({hash}).partial.at(hash), 3000);
    auto rest = store->append(hash, 3000, 5000, std::string_view(data).substr(3000));
    ASSERT_TRUE(rest) << rest.error().message;
    EXPECT_EQ(rest->status, Status::accepted);
    EXPECT_TRUE(rest->complete);
    EXPECT_EQ(read_all(store->path_of(hash)), data);
}

TEST_F(BlobStoreTest, AFullDiskIsAStorageErrorNamingTheFolderAndKeepsWhatWasHeld) {
    bool full = false;
    auto store = open([&full](int fd, std::string_view bytes, std::int64_t offset) {
        if (full) {
            // Half the chunk lands before the disk fills up, as a real write would.
            (void)::pwrite(fd, bytes.data(), bytes.size() / 2, offset);
            return ENOSPC;
        }
        return ::pwrite(fd, bytes.data(), bytes.size(), offset) ==
                       static_cast<ssize_t>(bytes.size())
                   ? 0
                   : errno;
    });
    const std::string data = bytes_of(4000, 'd');
    const std::string hash = sha256(data);
    ASSERT_TRUE(store->append(hash, 0, 4000, std::string_view(data).substr(0, 1000)));
    full = true;
    auto refused = store->append(hash, 1000, 4000, std::string_view(data).substr(1000, 2000));
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().kind, util::ErrorKind::storage);
    EXPECT_TRUE(is_disk_full(refused.error()));
    EXPECT_NE(refused.error().message.find((dir.path() / "blobs" / "partial").string()),
              std::string::npos)
        << refused.error().message;
    EXPECT_EQ(store->missing({hash}).partial.at(hash), 1000);

    auto batch = store->put_whole(sha256("small"), "small");
    ASSERT_FALSE(batch);
    EXPECT_TRUE(is_disk_full(batch.error()));
    EXPECT_FALSE(store->has(sha256("small")));

    full = false;
    auto rest = store->append(hash, 1000, 4000, std::string_view(data).substr(1000));
    ASSERT_TRUE(rest) << rest.error().message;
    EXPECT_TRUE(rest->complete);
    EXPECT_EQ(read_all(store->path_of(hash)), data);
}

TEST_F(BlobStoreTest, WholeBlobsAreCheckedAndRangesRead) {
    auto store = open();
    const std::string data = bytes_of(300, 'w');
    const std::string hash = sha256(data);
    auto wrong = store->put_whole(hash, data.substr(1));
    ASSERT_TRUE(wrong);
    EXPECT_FALSE(*wrong);
    EXPECT_FALSE(store->has(hash));
    auto stored = store->put_whole(hash, data);
    ASSERT_TRUE(stored);
    EXPECT_TRUE(*stored);
    EXPECT_EQ(store->size(hash), 300);

    auto middle = store->read(hash, 100, 50);
    ASSERT_TRUE(middle);
    EXPECT_EQ(*middle, data.substr(100, 50));
    auto tail = store->read(hash, 290, 50);
    ASSERT_TRUE(tail);
    EXPECT_EQ(*tail, data.substr(290));
    auto none = store->read(sha256("absent"), 0, 10);
    ASSERT_FALSE(none);
    EXPECT_EQ(none.error().kind, util::ErrorKind::not_found);

    // An empty file is a blob too.
    auto empty = store->append(sha256(""), 0, 0, "");
    ASSERT_TRUE(empty) << empty.error().message;
    EXPECT_TRUE(empty->complete);
    EXPECT_EQ(store->size(sha256("")), 0);
}

TEST_F(BlobStoreTest, TwoUploadsOfOneBlobAtOnceAgreeOnWhereItStands) {
    auto store = open();
    const std::string data = bytes_of(8 << 20, 'c');
    const std::string hash = sha256(data);
    const std::string_view first = std::string_view(data).substr(0, 4 << 20);
    std::vector<AppendOutcome> outcomes(4);
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < outcomes.size(); ++i) {
        threads.emplace_back([&, i] {
            auto a = store->append(hash, 0, std::int64_t(data.size()), first);
            if (a) outcomes[i] = *a;
        });
    }
    for (std::thread& t : threads) t.join();
    int accepted = 0;
    for (const AppendOutcome& o : outcomes) {
        accepted += o.status == Status::accepted;
        EXPECT_EQ(o.received, 4 << 20);
    }
    EXPECT_EQ(accepted, 1);
    auto rest = store->append(hash, 4 << 20, std::int64_t(data.size()),
                              std::string_view(data).substr(4 << 20));
    ASSERT_TRUE(rest);
    EXPECT_TRUE(rest->complete);
    EXPECT_EQ(read_all(store->path_of(hash)), data);
}

TEST_F(BlobStoreTest, NamesThatAreNotHashesAreRefused) {
    auto store = open();
    auto escape = store->put_whole("../../etc/passwd", "x");
    ASSERT_FALSE(escape);
    EXPECT_EQ(escape.error().kind, util::ErrorKind::invalid);
    auto read = store->read("../farm.db", 0, 10);
    ASSERT_FALSE(read);
    EXPECT_EQ(read.error().kind, util::ErrorKind::invalid);
}

}  // namespace
}  // namespace spotfarm::manager
