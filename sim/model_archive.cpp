#include "slsim/model_archive.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <memory>
#include <stdexcept>
#include <vector>

namespace slsim {

std::string make_tar_gz(const std::string& member, const std::string& content) {
  std::unique_ptr<archive, decltype(&archive_write_free)> a(archive_write_new(),
                                                            archive_write_free);
  archive_write_add_filter_gzip(a.get());
  archive_write_set_format_pax_restricted(a.get());
  std::vector<char> buffer(content.size() + (1 << 20));
  size_t used = 0;
  if (archive_write_open_memory(a.get(), buffer.data(), buffer.size(), &used) != ARCHIVE_OK)
    throw std::runtime_error(archive_error_string(a.get()));
  std::unique_ptr<archive_entry, decltype(&archive_entry_free)> entry(archive_entry_new(),
                                                                      archive_entry_free);
  archive_entry_set_pathname(entry.get(), member.c_str());
  archive_entry_set_size(entry.get(), static_cast<la_int64_t>(content.size()));
  archive_entry_set_filetype(entry.get(), AE_IFREG);
  archive_entry_set_perm(entry.get(), 0644);
  archive_entry_set_mtime(entry.get(), 0, 0);  // reproducible archives
  if (archive_write_header(a.get(), entry.get()) != ARCHIVE_OK ||
      archive_write_data(a.get(), content.data(), content.size()) < 0 ||
      archive_write_close(a.get()) != ARCHIVE_OK)
    throw std::runtime_error(std::string("model.tar.gz: ") + archive_error_string(a.get()));
  return std::string(buffer.data(), used);
}

std::string extract_first_file(const std::string& tar_gz) {
  std::unique_ptr<archive, decltype(&archive_read_free)> a(archive_read_new(), archive_read_free);
  archive_read_support_filter_gzip(a.get());
  archive_read_support_format_tar(a.get());
  if (archive_read_open_memory(a.get(), tar_gz.data(), tar_gz.size()) != ARCHIVE_OK)
    throw std::runtime_error(std::string("model.tar.gz: ") + archive_error_string(a.get()));
  archive_entry* entry = nullptr;
  while (archive_read_next_header(a.get(), &entry) == ARCHIVE_OK) {
    if (archive_entry_filetype(entry) != AE_IFREG) continue;
    std::string content(static_cast<size_t>(archive_entry_size(entry)), '\0');
    const la_ssize_t n = archive_read_data(a.get(), content.data(), content.size());
    if (n < 0 || static_cast<size_t>(n) != content.size())
      throw std::runtime_error("model.tar.gz: truncated member");
    return content;
  }
  throw std::runtime_error("model.tar.gz holds no regular file");
}

}  // namespace slsim
