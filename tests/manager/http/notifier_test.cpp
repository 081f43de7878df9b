#include "manager/http/notifier.h"

#include <gtest/gtest.h>
#include <boost/asio/io_context.hpp>

namespace spotfarm::manager::http {
namespace {

using namespace std::chrono_literals;

// A waiter whose answers are recorded, driven by an io_context run in the test thread.
struct Waiter {
    Responder responder;
    std::vector<int> answers;
};

class NotifierTest : public ::testing::Test {
protected:
    Waiter& add_waiter(std::chrono::milliseconds timeout = 1h) {
        auto waiter = std::make_unique<Waiter>();
        waiter->responder = Responder::start(m_io.get_executor(), timeout, Response::empty(204));
        waiter->responder.attach(
            [w = waiter.get()](Response response) { w->answers.push_back(response.status); });
        m_waiters.push_back(std::move(waiter));
        return *m_waiters.back();
    }
    // Waits on `notifier`, answering 200 when `work` has any left.
    void wait_for_work(Notifier& notifier, Waiter& waiter, int& work,
                       std::vector<int>* order = nullptr, int id = 0) {
        notifier.wait(waiter.responder, [&work, order, id](Responder& responder) {
            if (order) order->push_back(id);
            if (work > 0 && responder.complete(Response::empty(200))) --work;
        });
    }

    boost::asio::io_context m_io;
    std::vector<std::unique_ptr<Waiter>> m_waiters;
};

TEST_F(NotifierTest, WakesTheOldestWaiterFirst) {
    Notifier notifier;
    int work = 0;
    Waiter& a = add_waiter();
    Waiter& b = add_waiter();
    Waiter& c = add_waiter();
    wait_for_work(notifier, a, work);
    wait_for_work(notifier, b, work);
    wait_for_work(notifier, c, work);
    EXPECT_EQ(notifier.size(), 3u);

    work = 1;
    EXPECT_EQ(notifier.notify(), 1u);
    EXPECT_EQ(a.answers, std::vector<int>{200});
    EXPECT_TRUE(b.answers.empty());
    EXPECT_EQ(notifier.size(), 2u);

    work = 5;
    EXPECT_EQ(notifier.notify_all(), 2u);
    EXPECT_EQ(b.answers, std::vector<int>{200});
    EXPECT_EQ(c.answers, std::vector<int>{200});
    EXPECT_EQ(notifier.size(), 0u);
    EXPECT_EQ(work, 3);
}

TEST_F(NotifierTest, WaiterThatFindsNothingKeepsItsPlace) {
    Notifier notifier;
    int work = 0;
    std::vector<int> tried;
    Waiter& picky = add_waiter();
    Waiter& other = add_waiter();
    // The oldest waiter cannot take this work (say, blocklisted): the next one gets it.
    notifier.wait(picky.responder, [&tried](Responder&) { tried.push_back(1); });
    wait_for_work(notifier, other, work, &tried, 2);
    work = 1;
    EXPECT_EQ(notifier.notify(), 1u);
    EXPECT_EQ(tried, (std::vector<int>{1, 2}));
    EXPECT_TRUE(picky.answers.empty());
    EXPECT_EQ(other.answers, std::vector<int>{200});

    Waiter& late = add_waiter();
    tried.clear();
    wait_for_work(notifier, late, work, &tried, 3);
    notifier.notify();
    EXPECT_EQ(tried, (std::vector<int>{1, 3})) << "the picky waiter is still first in line";
}

TEST_F(NotifierTest, NotifyStopsAfterCountAnswers) {
    Notifier notifier;
    int work = 10;
    for (int i = 0; i < 5; ++i) wait_for_work(notifier, add_waiter(), work);
    EXPECT_EQ(notifier.notify(2), 2u);
    EXPECT_EQ(notifier.size(), 3u);
    EXPECT_EQ(notifier.notify(0), 0u);
}

TEST_F(NotifierTest, DeparturesAndTimeoutsLeaveTheLine) {
    Notifier notifier;
    int work = 0;
    Waiter& gone = add_waiter();
    Waiter& quick = add_waiter(20ms);
    Waiter& patient = add_waiter();
    wait_for_work(notifier, gone, work);
    wait_for_work(notifier, quick, work);
    wait_for_work(notifier, patient, work);

    gone.responder.abandon();  // the client closed its connection
    EXPECT_EQ(notifier.size(), 2u);
    EXPECT_TRUE(gone.answers.empty());

    while (quick.answers.empty() && m_io.run_one_for(2s) > 0) {
    }
    EXPECT_EQ(quick.answers, std::vector<int>{204});
    EXPECT_EQ(notifier.size(), 1u);

    work = 1;
    EXPECT_EQ(notifier.notify(), 1u);
    EXPECT_EQ(patient.answers, std::vector<int>{200});
}

TEST_F(NotifierTest, DoneRespondersAreNotAdded) {
    Notifier notifier;
    int work = 0;
    Waiter& answered = add_waiter();
    answered.responder.complete(Response::empty(200));
    wait_for_work(notifier, answered, work);
    EXPECT_EQ(notifier.size(), 0u);
    Responder empty;
    notifier.wait(empty, [](Responder&) {});
    EXPECT_EQ(notifier.size(), 0u);
}

TEST_F(NotifierTest, AttemptMayAddWaitersWithoutLooping) {
    Notifier notifier;
    int attempts = 0;
    Waiter& first = add_waiter();
    std::function<void(Responder&)> requeue = [&](Responder&) {
        ++attempts;
        notifier.wait(add_waiter().responder, requeue);
    };
    notifier.wait(first.responder, requeue);
    EXPECT_EQ(notifier.notify_all(), 0u);
    EXPECT_EQ(attempts, 1);
    EXPECT_EQ(notifier.size(), 2u);
}

TEST_F(NotifierTest, WaitersOutliveTheNotifierSafely) {
    Waiter& waiter = add_waiter();
    {
        Notifier notifier;
        notifier.wait(waiter.responder, [](Responder&) {});
    }
    waiter.responder.abandon();
    EXPECT_TRUE(waiter.responder.done());
}

TEST(Responder, AnswerGivenBeforeAttachIsDelivered) {
    boost::asio::io_context io;
    Responder responder =
        Responder::start(io.get_executor(), std::chrono::hours(1), Response::empty(204));
    EXPECT_TRUE(responder.complete(Response::empty(200)));
    EXPECT_FALSE(responder.complete(Response::empty(201)));
    int got = 0;
    responder.attach([&](Response response) { got = response.status; });
    EXPECT_EQ(got, 200);
}

TEST(Responder, TimesOutWithItsPreparedAnswerOnce) {
    boost::asio::io_context io;
    Responder responder = Responder::start(io.get_executor(), 10ms, Response::empty(204));
    std::vector<int> got;
    int done_calls = 0;
    responder.attach([&](Response response) { got.push_back(response.status); });
    responder.on_done([&] { ++done_calls; });
    io.run_for(2s);
    EXPECT_EQ(got, std::vector<int>{204});
    EXPECT_FALSE(responder.complete(Response::empty(200)));
    EXPECT_EQ(done_calls, 1);
    responder.on_done([&] { ++done_calls; });  // already done: runs at once
    EXPECT_EQ(done_calls, 2);
}

}  // namespace
}  // namespace spotfarm::manager::http
