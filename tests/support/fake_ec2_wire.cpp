#include "support/fake_ec2_wire.h"

#include <openssl/evp.h>

#include <sstream>

namespace spotfarm::testing::fake_ec2_wire {

std::string xml_text(const pugi::xml_document& doc) {
    std::ostringstream out;
    doc.save(out, "  ");
    return out.str();
}

std::string error_xml(const std::string& code, const std::string& message) {
    pugi::xml_document doc;
    auto response = doc.append_child("Response");
    auto error = response.append_child("Errors").append_child("Error");
    error.append_child("Code").text() = code.c_str();
    error.append_child("Message").text() = message.c_str();
    response.append_child("RequestID").text() = "fake-ec2-error";
    return xml_text(doc);
}

pugi::xml_node start(pugi::xml_document& doc, const char* root) {
    auto node = doc.append_child(root);
    node.append_attribute("xmlns") = std::string(providers::aws::k_ec2_xml_namespace).c_str();
    node.append_child("requestId").text() = "fake-ec2-request";
    return node;
}

std::optional<std::string> base64_decode(const std::string& text) {
    if (text.size() % 4 != 0) return std::nullopt;
    std::string out(text.size() / 4 * 3, '\0');
    const int n =
        EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                        reinterpret_cast<const unsigned char*>(text.data()), int(text.size()));
    if (n < 0) return std::nullopt;
    size_t padding = 0;
    while (padding < 2 && padding < text.size() && text[text.size() - 1 - padding] == '=')
        ++padding;
    out.resize(size_t(n) - padding);
    return out;
}

std::vector<std::string> numbered(const Params& params, const std::string& prefix,
                                  const std::string& suffix) {
    std::vector<std::string> values;
    for (int i = 1;; ++i) {
        auto it = params.find(prefix + "." + std::to_string(i) + suffix);
        if (it == params.end()) return values;
        values.push_back(it->second);
    }
}

bool is_count(const std::string& text) {
    return !text.empty() && text.size() < 6 &&
           text.find_first_not_of("0123456789") == std::string::npos && std::stoi(text) >= 1;
}

std::string get(const Params& params, const std::string& key) {
    auto it = params.find(key);
    return it == params.end() ? std::string() : it->second;
}

std::optional<std::vector<providers::aws::Tag>> tags_for(const Params& params,
                                                         const std::string& spec_prefix,
                                                         const std::string& resource_type) {
    std::vector<providers::aws::Tag> tags;
    for (int spec = 1; params.count(spec_prefix + "." + std::to_string(spec) + ".ResourceType");
         ++spec) {
        const std::string prefix = spec_prefix + "." + std::to_string(spec);
        if (params.at(prefix + ".ResourceType") != resource_type) continue;
        const auto keys = numbered(params, prefix + ".Tag", ".Key");
        const auto values = numbered(params, prefix + ".Tag", ".Value");
        if (keys.size() != values.size()) return std::nullopt;
        for (size_t i = 0; i < keys.size(); ++i) tags.push_back({keys[i], values[i]});
    }
    return tags;
}

}  // namespace spotfarm::testing::fake_ec2_wire
