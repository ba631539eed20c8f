# domain/: the rules. Never includes Beast.
add_library(gotong_domain STATIC
  src/domain/accounts.cpp
  src/domain/areas.cpp
  src/domain/audit.cpp
  src/domain/auth.cpp
  src/domain/context.cpp
  src/domain/demo.cpp
  src/domain/forms.cpp
  src/domain/roles.cpp
)
target_link_libraries(gotong_domain PUBLIC gotong_db gotong_base gotong_forms_xlsform gotong_forms_xform)

gotong_add_unit_test(domain_test
  SOURCES src/domain/test_support.cpp src/domain/accounts_test.cpp src/domain/auth_test.cpp
         src/domain/areas_test.cpp src/domain/roles_test.cpp
  LIBS gotong_domain)
