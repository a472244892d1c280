from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from duban.core.pagination import paginate

from . import selectors, services
from .decorators import office_required
from .forms import LoginForm, UserFilterForm, UserForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@login_required
def user_list(request):
    filters = UserFilterForm(request.GET)
    filters.is_valid()
    users = selectors.user_list(user=request.user, filters=filters.cleaned_data)
    return render(
        request, "accounts/user_list.html", {"page_obj": paginate(request, users), "filter_form": filters}
    )


def _save_user(request, form, user=None):
    data = dict(form.cleaned_data)
    password = data.pop("password", "")
    try:
        if user is None:
            user = services.user_create(by=request.user, password=password, **data)
        else:
            user = services.user_update(user=user, by=request.user, **data)
            if password:
                services.user_set_password(user=user, by=request.user, password=password)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error("password" if password else None, error)
        return None
    except PermissionDenied as denied:
        form.add_error(None, str(denied) or _("您没有执行此操作的权限。"))
        return None
    return user


@office_required
def user_create(request):
    form = UserForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _save_user(request, form):
        messages.success(request, _("已新增用户。"))
        return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form})


@office_required
def user_edit(request, pk):
    user = get_object_or_404(selectors.user_list(user=request.user), pk=pk)
    form = UserForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid() and _save_user(request, form, user):
        messages.success(request, _("已保存。"))
        return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form, "edited_user": user})
